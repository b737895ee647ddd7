import type { LarkErrorData } from "../errors/revive_error.ts";
import type { LogFields, LogLevel } from "../log/logger.ts";

/** Main thread → stage worker. */
export type StageWorkerRequest<S, I = never> =
  | { type: "start"; start: S; level: LogLevel }
  | { type: "input"; input: I }
  | { type: "stop" };

/** Stage worker → main thread. */
export type StageWorkerMessage<E, R> =
  | { type: "event"; event: E }
  | { type: "log"; record: LogFields & { ts: string; level: LogLevel; event: string } }
  | { type: "done"; result: R }
  | {
    type: "failed";
    message: string;
    /** The stage threw a `LarkError`: its data, revived as the same kind. */
    error?: LarkErrorData;
    /** The stage was refused a permission it was not granted. */
    denied?: boolean;
  };
