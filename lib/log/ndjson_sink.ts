import { NdjsonWriter } from "../ndjson/ndjson_writer.ts";
import type { LogFields, LogLevel, LogSink } from "./logger.ts";

/** One line of a log file. */
export type LogRecord = LogFields & { ts: string; level: LogLevel; event: string };

/**
 * Appends one JSON object per line to a file (the shared
 * {@linkcode NdjsonWriter}: synchronous appends, so a killed process loses
 * at most the line being written).
 */
export class NdjsonFileSink implements LogSink {
  #out: NdjsonWriter<LogRecord>;

  /** Open (create or append to) `path`; the file is owner-only (0600), a new folder 0700. */
  constructor(path: string) {
    this.#out = new NdjsonWriter(path);
  }

  /** Append one record. */
  write(record: LogRecord): void {
    this.#out.append(record);
  }

  /** Close the file. */
  close(): void {
    this.#out.close();
  }
}
