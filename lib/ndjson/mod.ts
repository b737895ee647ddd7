/**
 * Typed NDJSON files: the one reader and writer every pipeline stage and log
 * uses. Records are checked against a zod schema when written and again when
 * read, so a stage can trust (and replay) the file the stage before it wrote.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { NdjsonWriter, readNdjson } from "./mod.ts";
 *
 * const Row = z.object({ type: z.literal("row"), id: z.string() });
 * const path = await Deno.makeTempFile({ suffix: ".ndjson" });
 * const out = new NdjsonWriter(path, { schema: Row });
 * out.append({ type: "row", id: "A-1" });
 * out.close();
 * console.log(await readNdjson(path, Row));
 * ```
 *
 * @module
 */
export * from "./ndjson_writer.ts";
export * from "./read_ndjson.ts";
export * from "./ndjson_line_error.ts";
export * from "./ndjson_stage_files.ts";
