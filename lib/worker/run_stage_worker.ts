import type { WorkerGrants } from "./restricted_worker.ts";
import { startStageWorker, type StartStageWorkerOptions } from "./start_stage_worker.ts";

/** Options of {@linkcode runStageWorker}. */
export type RunStageWorkerOptions<E> = StartStageWorkerOptions<E>;

/**
 * Run one pipeline stage in a `restrictedWorker` with only
 * `grants`: send it `start`, hand its events to `onEvent`, write its log
 * lines through `logger`, stop it when `signal` aborts, and resolve with
 * what the stage returned (the worker module calls `serveStageWorker`).
 * It rejects with what the stage threw: a `LarkError` of the same kind, a
 * `WorkerPermissionError` when the Worker refused something not in `grants`
 * (or `grants` exceed this process's own permissions), else an `Error`.
 * The worker is terminated in every case. A stage that also takes inputs
 * while it runs is started with {@linkcode startStageWorker}.
 */
export function runStageWorker<S, E, R>(
  url: URL,
  grants: WorkerGrants,
  start: S,
  o: RunStageWorkerOptions<E> = {},
): Promise<R> {
  return startStageWorker<S, E, R>(url, grants, start, o).result;
}
