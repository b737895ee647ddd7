import { LarkError } from "../errors/lark_error.ts";
import { larkErrorData } from "../errors/revive_error.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import type { StageWorkerMessage, StageWorkerRequest } from "./_stage_protocol.ts";

/** What a stage run inside a worker is given. */
export interface StageWorkerContext<E> {
  /** Aborted when the main thread stops the stage. */
  signal: AbortSignal;
  /** Send one event (a row, a changed window …) to the main thread. */
  emit(event: E): void;
  /** Logger whose lines are written by the main thread's sinks. */
  logger: Logger;
}

/**
 * The worker side of {@linkcode runStageWorker}: call it once in a worker
 * module. `run` gets the start message, a stop signal, `emit` for events and
 * a logger forwarded to the main thread; what it returns ends the stage.
 * What it throws is rejected in the main thread: a `LarkError` as the same
 * kind, a refused permission as `WorkerPermissionError`.
 *
 * @example
 * ```ts ignore
 * // my_stage_worker.ts
 * import { serveStageWorker } from "../../lib/worker/serve_stage_worker.ts";
 * serveStageWorker<{ n: number }, number, string>(async (start, ctx) => {
 *   for (let i = 0; i < start.n && !ctx.signal.aborted; i++) ctx.emit(i);
 *   return "done";
 * });
 * ```
 */
export function serveStageWorker<S, E, R>(run: (start: S, ctx: StageWorkerContext<E>) => Promise<R>): void {
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent<StageWorkerRequest<S>>) => void) | null;
    postMessage(message: StageWorkerMessage<E, R>): void;
  };
  const stop = new AbortController();
  scope.onmessage = (e) => {
    const req = e.data;
    if (req.type === "stop") {
      stop.abort(new DOMException("interrupted", "AbortError"));
      return;
    }
    const logger = createLogger({
      level: req.level,
      sinks: [{ write: (record) => scope.postMessage({ type: "log", record }) }],
    });
    run(req.start, {
      signal: stop.signal,
      emit: (event) => scope.postMessage({ type: "event", event }),
      logger,
    })
      .then((result) => scope.postMessage({ type: "done", result }))
      .catch((err) => scope.postMessage(failure(err)));
  };
}

/** What the main thread is told about a thrown `err`. */
function failure<E, R>(err: unknown): StageWorkerMessage<E, R> {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof LarkError) return { type: "failed", message, error: larkErrorData(err) };
  const denied = err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied;
  return { type: "failed", message, denied: denied || undefined };
}
