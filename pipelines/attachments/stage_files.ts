/**
 * The typed NDJSON files of one attachment job, in its job directory
 * (`<state dir>/jobs/<job key>/`): each stage appends one line per event
 * through the shared NDJSON writer, every line checked against its schema,
 * and the next stage, a rerun and a replay read them back
 * ({@linkcode JOB_STAGES}: `open`, `read`, `append`).
 *
 * | file | stage | one line per |
 * |---|---|---|
 * | `job.ndjson` | receive (the plugin's connection) | config as received, `complete`, each status change |
 * | `files.ndjson` | receive | file announced by the plugin, with the target fixed for it |
 * | `downloads.ndjson` | download (a restricted Worker) | start and outcome of each attempt: path, bytes, SHA-256, error kind |
 * | `zip.ndjson` | zip (a restricted Worker) | ZIP written (entries, bytes, SHA-256) or its error |
 *
 * No secret is ever written: neither the personal base token nor the
 * plugin's temporary links (whose query is a signature); a file line only
 * says whether the plugin sent a link up front. SQLite stays the index a
 * restarted service resumes from; these files alone tell what happened.
 *
 * @module
 */
import { z } from "zod";
import { NdjsonStageFiles } from "../../lib/ndjson/ndjson_stage_files.ts";

/** File names in a job directory. */
export const JOB_STAGE_FILES = {
  job: "job.ndjson",
  files: "files.ndjson",
  downloads: "downloads.ndjson",
  zip: "zip.ndjson",
} as const;

const iso = z.string().min(1);
const jobStatus = z.enum(["running", "completed", "aborted", "interrupted", "resumed"]);

/** Schema of a `job.ndjson` line: the config, `complete`, or a status change. */
export const JobRecordSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("config"),
    at: iso,
    /** Job key (the job directory's name). */
    key: z.string().min(1),
    job_id: z.string(),
    name: z.string(),
    mode: z.enum(["url", "token"]),
    total: z.number().int().nonnegative(),
    zip_after: z.boolean(),
    concurrent: z.number().int().optional(),
    table_id: z.string().optional(),
    app_token: z.string().optional(),
    /** The download folder (absolute). */
    dir: z.string().min(1),
    /** Epoch ms. */
    started_at: z.number(),
  }),
  z.object({ type: z.literal("complete"), at: iso }),
  z.object({
    type: z.literal("status"),
    at: iso,
    status: jobStatus,
    finished_at: z.number().optional(),
    zip_path: z.string().optional(),
    error: z.string().optional(),
  }),
]);
/** A `job.ndjson` line. */
export type JobRecord = z.infer<typeof JobRecordSchema>;

/** Schema of a `files.ndjson` line: the plugin's item as received (no link), and its target. */
export const FileRecordSchema = z.object({
  type: z.literal("file"),
  at: iso,
  /** Sequence number in the job (1-based, arrival order). */
  seq: z.number().int().positive(),
  order: z.number().int().positive().optional(),
  name: z.string().min(1),
  path: z.string(),
  size: z.number().int().nonnegative().optional(),
  token: z.string().optional(),
  field_id: z.string().optional(),
  record_id: z.string().optional(),
  /** The plugin sent a link with the item (legacy); the link itself is never stored. */
  url_given: z.boolean(),
  /** Target relative to the download folder, `/`-separated. */
  rel: z.string().min(1),
});
/** A `files.ndjson` line. */
export type FileRecord = z.infer<typeof FileRecordSchema>;

/** Schema of a `downloads.ndjson` line. */
export const DownloadRecordSchema = z.object({
  type: z.literal("download"),
  at: iso,
  seq: z.number().int().positive(),
  /**
   * `started` a download began; `done` saved; `failed` gave up; `reused` an
   * earlier run's file on disk was taken; `retry` queued again (retry round).
   */
  outcome: z.enum(["started", "done", "failed", "reused", "retry"]),
  rel: z.string().min(1),
  bytes: z.number().int().nonnegative().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** Requests that went on with `Range`. */
  resumes: z.number().int().nonnegative().optional(),
  elapsed_ms: z.number().nonnegative().optional(),
  error: z.object({ kind: z.string(), message: z.string() }).optional(),
});
/** A `downloads.ndjson` line. */
export type DownloadRecord = z.infer<typeof DownloadRecordSchema>;

/** Schema of a `zip.ndjson` line. */
export const ZipRecordSchema = z.object({
  type: z.literal("zip"),
  at: iso,
  outcome: z.enum(["ok", "error"]),
  /** The ZIP (absolute). */
  path: z.string().min(1),
  entries: z.number().int().nonnegative().optional(),
  bytes: z.number().int().nonnegative().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  error: z.string().optional(),
});
/** A `zip.ndjson` line. */
export type ZipRecord = z.infer<typeof ZipRecordSchema>;

/** The record type of each stage file. */
export interface JobStageRecords {
  /** `job.ndjson`. */
  job: JobRecord;
  /** `files.ndjson`. */
  files: FileRecord;
  /** `downloads.ndjson`. */
  downloads: DownloadRecord;
  /** `zip.ndjson`. */
  zip: ZipRecord;
}

/** A stage file (key of {@linkcode JOB_STAGE_FILES}). */
export type JobStageName = keyof JobStageRecords;

/** The schema of each stage file. */
export const JOB_STAGE_SCHEMAS: { [K in JobStageName]: z.ZodType<JobStageRecords[K]> } = {
  job: JobRecordSchema,
  files: FileRecordSchema,
  downloads: DownloadRecordSchema,
  zip: ZipRecordSchema,
};

/** The job directory's stage files: `JOB_STAGES.open(jobDir, "downloads")`, `.read(…)`, `.append(…)`. */
export const JOB_STAGES: NdjsonStageFiles<JobStageRecords> = new NdjsonStageFiles<JobStageRecords>(
  JOB_STAGE_FILES,
  JOB_STAGE_SCHEMAS,
);
