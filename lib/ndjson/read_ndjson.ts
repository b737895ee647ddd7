import type { Schema } from "../validate/schema.ts";
import { NdjsonLineError } from "./ndjson_line_error.ts";

/** Options of {@linkcode readNdjson}. */
export interface ReadNdjsonOptions {
  /**
   * What to do with a line that is JSON but not the schema's shape: `"skip"`
   * (default; reported to `onInvalid`) or `"throw"` an {@linkcode NdjsonLineError}.
   * A line that is not JSON at all is always skipped: it is the line a kill cut short.
   */
  invalid?: "skip" | "throw";
  /** Told about every skipped line (torn or invalid). */
  onInvalid?: (error: NdjsonLineError) => void;
}

/**
 * Read every record of an NDJSON file, each checked against `schema`
 * (a missing file has no records). Blank lines are ignored.
 *
 * @example Read back what a stage wrote
 * ```ts
 * import { z } from "zod";
 * import { NdjsonWriter } from "./ndjson_writer.ts";
 * import { readNdjson } from "./read_ndjson.ts";
 *
 * const Step = z.object({ type: z.literal("step"), n: z.number() });
 * const path = await Deno.makeTempFile({ suffix: ".ndjson" });
 * const out = new NdjsonWriter(path, { schema: Step });
 * out.append({ type: "step", n: 1 });
 * out.close();
 * const steps = await readNdjson(path, Step); // [{ type: "step", n: 1 }]
 * ```
 */
export async function readNdjson<T>(
  path: string,
  schema: Schema<T>,
  options: ReadNdjsonOptions = {},
): Promise<T[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return parseNdjson(text, schema, { ...options, path });
}

/**
 * The records of NDJSON `text` (see {@linkcode readNdjson}); `path` only
 * names the source in errors.
 */
export function parseNdjson<T>(
  text: string,
  schema: Schema<T>,
  options: ReadNdjsonOptions & { path?: string } = {},
): T[] {
  const path = options.path ?? "(ndjson)";
  const out: T[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      options.onInvalid?.(new NdjsonLineError(path, i + 1, e as Error));
      continue;
    }
    const checked = schema.safeParse(value);
    if (checked.success) {
      out.push(checked.data);
      continue;
    }
    const error = new NdjsonLineError(path, i + 1, checked.error);
    if (options.invalid === "throw") throw error;
    options.onInvalid?.(error);
  }
  return out;
}
