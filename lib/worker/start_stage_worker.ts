import { reviveLarkError } from "../errors/revive_error.ts";
import { type Logger, type LogLevel, silentLogger } from "../log/logger.ts";
import type { StageWorkerMessage, StageWorkerRequest } from "./_stage_protocol.ts";
import { restrictedWorker, type WorkerGrants } from "./restricted_worker.ts";
import { WorkerPermissionError } from "./worker_permission_error.ts";

/** Options of {@linkcode startStageWorker}. */
export interface StartStageWorkerOptions<E> {
  /** Stops the stage (the worker sees its signal abort). */
  signal?: AbortSignal;
  /** Each event the stage emits, in order. */
  onEvent?: (event: E) => void;
  /** Where the stage's log lines go (default silent). */
  logger?: Logger;
  /** Lowest level the stage logs (default `info`). */
  level?: LogLevel;
  /** Objects in `start` moved to the worker (e.g. a `MessagePort` to another worker). */
  transfer?: Transferable[];
}

/** A running stage worker (see {@linkcode startStageWorker}). */
export interface StageWorkerHandle<I, R> {
  /** Send one input to the stage (its `onInput` handler); dropped once the stage ended. */
  send(input: I): void;
  /** Ask the stage to stop (its signal aborts); the result still settles. */
  stop(): void;
  /** What the stage returned; rejects when it failed or the worker crashed. */
  readonly result: Promise<R>;
}

/**
 * Start one pipeline stage in a {@linkcode restrictedWorker} with only
 * `grants` and keep a line to it: send it `start`, hand its events to
 * `onEvent`, write its log lines through `logger`, pass it inputs while it
 * runs (`send`: work to do, answers to its requests), stop it when `signal`
 * aborts, and settle `result` with what the stage returned (the worker
 * module calls `serveStageWorker`). `result` rejects with what the stage
 * threw: a `LarkError` of the same kind, a {@linkcode WorkerPermissionError}
 * when the Worker refused something not in `grants` (or `grants` exceed this
 * process's own permissions), else an `Error`. The worker is terminated in
 * every case.
 *
 * @example A long-lived stage fed while it runs
 * ```ts ignore
 * const stage = startStageWorker<Start, Event, Result, Input>(url, { write: [dir] }, start, { onEvent });
 * stage.send({ type: "file", seq: 1 });
 * stage.send({ type: "finish" });
 * const result = await stage.result;
 * ```
 */
export function startStageWorker<S, E, R, I = never>(
  url: URL,
  grants: WorkerGrants,
  start: S,
  o: StartStageWorkerOptions<E> = {},
): StageWorkerHandle<I, R> {
  const log = o.logger ?? silentLogger;
  let worker: Worker;
  try {
    worker = restrictedWorker(url, grants);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) throw e;
    return refused(e);
  }
  let ended = false;
  const post = (m: StageWorkerRequest<S, I>, transfer: Transferable[] = []) => {
    if (!ended) worker.postMessage(m, transfer);
  };
  const onAbort = () => post({ type: "stop" });
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const result = new Promise<R>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<StageWorkerMessage<E, R>>) => {
      const m = e.data;
      if (m.type === "event") o.onEvent?.(m.event);
      else if (m.type === "log") {
        const { ts: _ts, level, event, ...fields } = m.record;
        log[level](event, fields);
      } else if (m.type === "done") resolve(m.result);
      else if (m.error) reject(reviveLarkError(m.error));
      else if (m.denied) reject(new WorkerPermissionError(m.message));
      else reject(new Error(`stage worker failed: ${m.message}`));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(`stage worker failed: ${e.message}`));
    };
    post({ type: "start", start, level: o.level ?? "info" }, o.transfer);
    if (o.signal?.aborted) onAbort();
  }).finally(() => {
    ended = true;
    o.signal?.removeEventListener("abort", onAbort);
    worker.terminate();
  });
  return { send: (input) => post({ type: "input", input }), stop: onAbort, result };
}

/** The grants exceed what this process was started with (a configured host or path outside them). */
function refused<I, R>(e: Error): StageWorkerHandle<I, R> {
  const error = new WorkerPermissionError(e.message, {
    cause: e,
    hint:
      "该步骤需要的权限超出了本命令允许的范围：请检查配置中的地址与路径是否在该命令允许访问的主机与目录之内" +
      "（见 deno.json 中该任务的 --allow-* 参数）。",
  });
  return { send: () => {}, stop: () => {}, result: Promise.reject(error) };
}
