import type { Schema } from "../validate/schema.ts";
import { NdjsonLineError } from "./ndjson_line_error.ts";

/** Options of {@linkcode NdjsonWriter}. */
export interface NdjsonWriterOptions<T> {
  /**
   * Schema every record must satisfy before it is written (default none).
   * A record that does not is refused with {@linkcode NdjsonLineError} and
   * nothing is written, so the file only ever holds lines its readers accept.
   */
  schema?: Schema<T>;
  /** File mode when the file is created (default 0o600: run files may name people and contracts). */
  mode?: number;
}

/**
 * Appends one JSON record per line to a file. Appends are synchronous and
 * complete (a short write is continued), so a killed process loses at most
 * the line being written, and a reader skips that torn last line.
 *
 * @example Append typed, validated records
 * ```ts
 * import { z } from "zod";
 * import { NdjsonWriter } from "./ndjson_writer.ts";
 *
 * const Step = z.object({ type: z.literal("step"), n: z.number() });
 * const path = await Deno.makeTempFile({ suffix: ".ndjson" });
 * const out = new NdjsonWriter(path, { schema: Step });
 * out.append({ type: "step", n: 1 });
 * out.close();
 * ```
 */
export class NdjsonWriter<T> {
  /** File path. */
  readonly path: string;
  #file: Deno.FsFile;
  #schema?: Schema<T>;
  #enc = new TextEncoder();

  /** Open `path` for appending (created if missing). */
  constructor(path: string, options: NdjsonWriterOptions<T> = {}) {
    this.path = path;
    this.#schema = options.schema;
    this.#file = Deno.openSync(path, { create: true, append: true, mode: options.mode ?? 0o600 });
    // A kill may have left a torn last line: end it, so the next record starts a line of its own.
    if (!endsWithNewline(path)) this.#write(this.#enc.encode("\n"));
  }

  /** Validate (when a schema was given) and append one record. */
  append(record: T): void {
    if (this.#schema) {
      const checked = this.#schema.safeParse(record);
      if (!checked.success) throw new NdjsonLineError(this.path, undefined, checked.error);
    }
    this.#write(this.#enc.encode(JSON.stringify(record) + "\n"));
  }

  #write(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) off += this.#file.writeSync(bytes.subarray(off));
  }

  /** Close the file (again is a no-op). */
  close(): void {
    try {
      this.#file.close();
    } catch { /* closed */ }
  }
}

/** True for an empty file or one whose last byte is a newline. */
function endsWithNewline(path: string): boolean {
  const file = Deno.openSync(path, { read: true });
  try {
    const size = file.statSync().size;
    if (size === 0) return true;
    file.seekSync(size - 1, Deno.SeekMode.Start);
    const last = new Uint8Array(1);
    return file.readSync(last) === 1 && last[0] === 0x0a;
  } finally {
    file.close();
  }
}
