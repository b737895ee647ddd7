import { join } from "node:path";
import type { Schema } from "../validate/schema.ts";
import { NdjsonWriter } from "./ndjson_writer.ts";
import { readNdjson, type ReadNdjsonOptions } from "./read_ndjson.ts";

/**
 * The typed NDJSON files of a pipeline's run (or job) directory: one file
 * name and one schema per stage, so a stage opens its own file with
 * {@linkcode NdjsonStageFiles.open} (every appended line checked) and the
 * next stage, a rerun or a replay reads it back with
 * {@linkcode NdjsonStageFiles.read} (every line checked again; a torn last
 * line skipped).
 *
 * @example A two-stage pipeline's files
 * ```ts
 * import { z } from "zod";
 * import { NdjsonStageFiles } from "./ndjson_stage_files.ts";
 *
 * const Plan = z.object({ type: z.literal("plan"), id: z.number() });
 * const Done = z.object({ type: z.literal("done"), id: z.number(), bytes: z.number() });
 * const stages = new NdjsonStageFiles(
 *   { plan: "plan.ndjson", done: "done.ndjson" },
 *   { plan: Plan, done: Done },
 * );
 * const dir = await Deno.makeTempDir();
 * stages.append(dir, "plan", { type: "plan", id: 1 });
 * const planned = await stages.read(dir, "plan"); // [{ type: "plan", id: 1 }]
 * ```
 */
export class NdjsonStageFiles<R extends object> {
  /** File name of each stage. */
  readonly files: { readonly [K in keyof R]: string };
  /** Schema of each stage's lines. */
  readonly schemas: { readonly [K in keyof R]: Schema<R[K]> };

  /** Stages named by the keys of `files` and `schemas`. */
  constructor(
    files: { readonly [K in keyof R]: string },
    schemas: { readonly [K in keyof R]: Schema<R[K]> },
  ) {
    this.files = files;
    this.schemas = schemas;
  }

  /** The path of `stage`'s file in `dir`. */
  path(dir: string, stage: keyof R): string {
    return join(dir, this.files[stage]);
  }

  /** Open `stage`'s file in `dir` for appending (0600); every line is checked against its schema. */
  open<K extends keyof R>(dir: string, stage: K): NdjsonWriter<R[K]> {
    return new NdjsonWriter(this.path(dir, stage), { schema: this.schemas[stage] });
  }

  /** Read `stage`'s file in `dir` (missing = no records; a torn line is skipped). */
  read<K extends keyof R>(dir: string, stage: K, options?: ReadNdjsonOptions): Promise<R[K][]> {
    return readNdjson(this.path(dir, stage), this.schemas[stage], options);
  }

  /** Append one record to `stage`'s file in `dir` (open, append, close). */
  append<K extends keyof R>(dir: string, stage: K, record: R[K]): void {
    const out = this.open(dir, stage);
    try {
      out.append(record);
    } finally {
      out.close();
    }
  }
}
