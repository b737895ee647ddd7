import { createPrivateFileSync } from "../fs/private_file.ts";
import type { LogFields, LogLevel, LogSink } from "./logger.ts";

/**
 * Appends one JSON object per line to a file. Writes are synchronous appends
 * so a killed process loses at most the line being written. Secrets are
 * masked before they get here; the file is still owner-only (ids, names).
 */
export class NdjsonFileSink implements LogSink {
  #file: Deno.FsFile;
  #enc = new TextEncoder();

  /** Open (create or append to) `path`; the file is owner-only (0600), a new folder 0700. */
  constructor(path: string) {
    createPrivateFileSync(path);
    this.#file = Deno.openSync(path, { append: true });
  }

  /** Append one record. */
  write(record: LogFields & { ts: string; level: LogLevel; event: string }): void {
    this.#file.writeSync(this.#enc.encode(JSON.stringify(record) + "\n"));
  }

  /** Close the file. */
  close(): void {
    try {
      this.#file.close();
    } catch { /* already closed */ }
  }
}
