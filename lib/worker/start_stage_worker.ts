import { type Logger, type LogLevel, silentLogger } from "../log/logger.ts";
import type { StageWorkerMessage, StageWorkerRequest } from "./_stage_protocol.ts";
import { restrictedWorker, type WorkerGrants } from "./restricted_worker.ts";

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
 * module calls `serveStageWorker`). The worker is terminated in every case.
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
  const worker = restrictedWorker(url, grants);
  let ended = false;
  const post = (m: StageWorkerRequest<S, I>) => {
    if (!ended) worker.postMessage(m);
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
      else reject(new Error(`stage worker failed: ${m.message}`));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(`stage worker failed: ${e.message}`));
    };
    post({ type: "start", start, level: o.level ?? "info" });
    if (o.signal?.aborted) onAbort();
  }).finally(() => {
    ended = true;
    o.signal?.removeEventListener("abort", onAbort);
    worker.terminate();
  });
  return { send: (input) => post({ type: "input", input }), stop: onAbort, result };
}
