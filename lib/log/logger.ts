import { maskDeep, maskText } from "./mask.ts";

/** Log levels in increasing severity. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Structured fields of one log line (request id, log id, step, endpoint, ...). */
export type LogFields = Record<string, unknown>;

/** A structured logger. Every sink masks secrets before writing. */
export interface Logger {
  /** Log at DEBUG. */
  debug(event: string, fields?: LogFields): void;
  /** Log at INFO. */
  info(event: string, fields?: LogFields): void;
  /** Log at WARN. */
  warn(event: string, fields?: LogFields): void;
  /** Log at ERROR. */
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Where log records go. */
export interface LogSink {
  /** Receive one already-masked record. */
  write(record: LogFields & { ts: string; level: LogLevel; event: string }): void;
}

/** Options of {@linkcode createLogger}. */
export interface LoggerOptions {
  /** Sinks to write to (default: none, i.e. a silent logger). */
  sinks?: LogSink[];
  /** Lowest level written (default `"info"`). */
  level?: LogLevel;
  /** Fields added to every line. */
  fields?: LogFields;
  /** Time source for `ts` (default `Date.now`). */
  now?: () => number;
}

/** Create a {@linkcode Logger} that masks secrets and fans out to sinks. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const sinks = options.sinks ?? [];
  const min = ORDER[options.level ?? "info"];
  const base = options.fields ?? {};
  const now = options.now ?? Date.now;
  const emit = (level: LogLevel, event: string, fields?: LogFields) => {
    if (ORDER[level] < min || sinks.length === 0) return;
    const masked = maskDeep({ ...base, ...fields }) as LogFields;
    const record = { ts: new Date(now()).toISOString(), level, event: maskText(event), ...masked };
    for (const s of sinks) s.write(record);
  };
  return {
    debug: (e, f) => emit("debug", e, f),
    info: (e, f) => emit("info", e, f),
    warn: (e, f) => emit("warn", e, f),
    error: (e, f) => emit("error", e, f),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger();

/** A sink that keeps records in memory (for tests). */
export class MemorySink implements LogSink {
  /** Records written so far. */
  readonly records: (LogFields & { ts: string; level: LogLevel; event: string })[] = [];
  /** Store a record. */
  write(record: LogFields & { ts: string; level: LogLevel; event: string }): void {
    this.records.push(record);
  }
}
