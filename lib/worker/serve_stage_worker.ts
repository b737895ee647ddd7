import { LarkError } from "../errors/lark_error.ts";
import { larkErrorData } from "../errors/revive_error.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import type { StageWorkerMessage, StageWorkerRequest } from "./_stage_protocol.ts";

/** What a stage run inside a worker is given. */
export interface StageWorkerContext<E, I = never> {
  /** Aborted when the main thread stops the stage. */
  signal: AbortSignal;
  /** Send one event (a row, a changed window …) to the main thread. */
  emit(event: E): void;
  /**
   * Handle the inputs the main thread sends while the stage runs
   * (`startStageWorker`'s `send`); inputs that came before the handler was
   * set are handed to it first, in order.
   */
  onInput(handler: (input: I) => void): void;
  /** Logger whose lines are written by the main thread's sinks. */
  logger: Logger;
}

/**
 * The worker side of `runStageWorker` / `startStageWorker`: call it once in
 * a worker module. `run` gets the start message, a stop signal, `emit` for
 * events, `onInput` for what the main thread sends while it runs, and a
 * logger forwarded to the main thread; what it returns ends the stage.
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
export function serveStageWorker<S, E, R, I = never>(
  run: (start: S, ctx: StageWorkerContext<E, I>) => Promise<R>,
): void {
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent<StageWorkerRequest<S, I>>) => void) | null;
    postMessage(message: StageWorkerMessage<E, R>): void;
  };
  const stop = new AbortController();
  const early: I[] = [];
  let handler: ((input: I) => void) | undefined;
  scope.onmessage = (e) => {
    const req = e.data;
    if (req.type === "stop") {
      stop.abort(new DOMException("interrupted", "AbortError"));
      return;
    }
    if (req.type === "input") {
      if (handler) handler(req.input);
      else early.push(req.input);
      return;
    }
    const logger = createLogger({
      level: req.level,
      sinks: [{ write: (record) => scope.postMessage({ type: "log", record }) }],
    });
    run(req.start, {
      signal: stop.signal,
      emit: (event) => scope.postMessage({ type: "event", event }),
      onInput: (h) => {
        handler = h;
        for (const input of early.splice(0)) h(input);
      },
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
