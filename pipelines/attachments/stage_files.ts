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
import type { Schema, SchemaYields } from "../../lib/validate/schema.ts";
import type { JobStatus } from "./job_store.ts";

/** File names in a job directory. */
export const JOB_STAGE_FILES = {
  job: "job.ndjson",
  files: "files.ndjson",
  downloads: "downloads.ndjson",
  zip: "zip.ndjson",
} as const;

/** A `job.ndjson` line: the job's config as received (first line of the file). */
export interface JobConfigRecord {
  /** Record type. */
  type: "config";
  /** When (ISO). */
  at: string;
  /** Job key (the job directory's name). */
  key: string;
  /** The plugin's job id. */
  job_id: string;
  /** Folder name before sanitising. */
  name: string;
  /** `url` (the plugin's links) or `token` (personal base token). */
  mode: "url" | "token";
  /** Files announced. */
  total: number;
  /** Zip the download folder when done. */
  zip_after: boolean;
  /** Concurrency asked for (token mode), if any. */
  concurrent?: number;
  /** Token mode: the Base's table id. */
  table_id?: string;
  /** Token mode: the Base's app token. */
  app_token?: string;
  /** The download folder (absolute). */
  dir: string;
  /** Epoch ms. */
  started_at: number;
}

/** A `job.ndjson` line: the plugin said `complete`. */
export interface JobCompleteRecord {
  /** Record type. */
  type: "complete";
  /** When (ISO). */
  at: string;
}

/** A `job.ndjson` line: the job's status changed. */
export interface JobStatusRecord {
  /** Record type. */
  type: "status";
  /** When (ISO). */
  at: string;
  /** The new status. */
  status: JobStatus;
  /** When the job ended, epoch ms. */
  finished_at?: number;
  /** The ZIP written (absolute). */
  zip_path?: string;
  /** Why the job can no longer download. */
  error?: string;
}

/** A `job.ndjson` line: the config, `complete`, or a status change. */
export type JobRecord = JobConfigRecord | JobCompleteRecord | JobStatusRecord;

/** A `files.ndjson` line: the plugin's item as received (no link), and its target. */
export interface FileRecord {
  /** Record type. */
  type: "file";
  /** When (ISO). */
  at: string;
  /** Sequence number in the job (1-based, arrival order). */
  seq: number;
  /** The plugin's 1-based file index (absent only with a legacy link). */
  order?: number;
  /** File name as sent (renamed and de-duplicated by the plugin). */
  name: string;
  /** Relative folder as sent, such as `A/B/`, or `""`. */
  path: string;
  /** Size in bytes, if announced. */
  size?: number;
  /** Token mode: the attachment's file token. */
  token?: string;
  /** Token mode: the attachment field's id. */
  field_id?: string;
  /** Token mode: the record's id. */
  record_id?: string;
  /** The plugin sent a link with the item (legacy); the link itself is never stored. */
  url_given: boolean;
  /** Target relative to the download folder, `/`-separated. */
  rel: string;
}

/** A `downloads.ndjson` line: the start or the outcome of one attempt. */
export interface DownloadRecord {
  /** Record type. */
  type: "download";
  /** When (ISO). */
  at: string;
  /** The file's sequence number ({@linkcode FileRecord.seq}). */
  seq: number;
  /**
   * `started` a download began; `done` saved; `failed` gave up; `reused` an
   * earlier run's file on disk was taken; `retry` queued again (retry round).
   */
  outcome: "started" | "done" | "failed" | "reused" | "retry";
  /** Target relative to the download folder, `/`-separated. */
  rel: string;
  /** Bytes saved. */
  bytes?: number;
  /** SHA-256 of the saved file (lowercase hex). */
  sha256?: string;
  /** Requests that went on with `Range`. */
  resumes?: number;
  /** Wall time of the attempt, ms. */
  elapsed_ms?: number;
  /** Error kind and message (`failed`). */
  error?: { kind: string; message: string };
}

/** A `zip.ndjson` line: the ZIP written, or its error. */
export interface ZipRecord {
  /** Record type. */
  type: "zip";
  /** When (ISO). */
  at: string;
  /** `ok` written; `error` failed (see `error`). */
  outcome: "ok" | "error";
  /** The ZIP (absolute). */
  path: string;
  /** Files in the ZIP. */
  entries?: number;
  /** Size of the ZIP, bytes. */
  bytes?: number;
  /** SHA-256 of the ZIP (lowercase hex). */
  sha256?: string;
  /** Why it failed. */
  error?: string;
}

const iso = z.string().min(1);
const jobStatus = z.enum(["running", "completed", "aborted", "interrupted", "resumed"]);

const jobSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("config"),
    at: iso,
    key: z.string().min(1),
    job_id: z.string(),
    name: z.string(),
    mode: z.enum(["url", "token"]),
    total: z.number().int().nonnegative(),
    zip_after: z.boolean(),
    concurrent: z.number().int().optional(),
    table_id: z.string().optional(),
    app_token: z.string().optional(),
    dir: z.string().min(1),
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

const fileSchema = z.object({
  type: z.literal("file"),
  at: iso,
  seq: z.number().int().positive(),
  order: z.number().int().positive().optional(),
  name: z.string().min(1),
  path: z.string(),
  size: z.number().int().nonnegative().optional(),
  token: z.string().optional(),
  field_id: z.string().optional(),
  record_id: z.string().optional(),
  url_given: z.boolean(),
  rel: z.string().min(1),
});

const downloadSchema = z.object({
  type: z.literal("download"),
  at: iso,
  seq: z.number().int().positive(),
  outcome: z.enum(["started", "done", "failed", "reused", "retry"]),
  rel: z.string().min(1),
  bytes: z.number().int().nonnegative().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  resumes: z.number().int().nonnegative().optional(),
  elapsed_ms: z.number().nonnegative().optional(),
  error: z.object({ kind: z.string(), message: z.string() }).optional(),
});

const zipSchema = z.object({
  type: z.literal("zip"),
  at: iso,
  outcome: z.enum(["ok", "error"]),
  path: z.string().min(1),
  entries: z.number().int().nonnegative().optional(),
  bytes: z.number().int().nonnegative().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  error: z.string().optional(),
});

// The interfaces above are exactly what the schemas yield (a type error once they drift apart).
const _exactJob: SchemaYields<typeof jobSchema, JobRecord> = true;
const _exactFile: SchemaYields<typeof fileSchema, FileRecord> = true;
const _exactDownload: SchemaYields<typeof downloadSchema, DownloadRecord> = true;
const _exactZip: SchemaYields<typeof zipSchema, ZipRecord> = true;

/** Schema of a `job.ndjson` line: the config, `complete`, or a status change. */
export const JobRecordSchema: Schema<JobRecord> = jobSchema;

/** Schema of a `files.ndjson` line: the plugin's item as received (no link), and its target. */
export const FileRecordSchema: Schema<FileRecord> = fileSchema;

/** Schema of a `downloads.ndjson` line. */
export const DownloadRecordSchema: Schema<DownloadRecord> = downloadSchema;

/** Schema of a `zip.ndjson` line. */
export const ZipRecordSchema: Schema<ZipRecord> = zipSchema;

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
export const JOB_STAGE_SCHEMAS: { [K in JobStageName]: Schema<JobStageRecords[K]> } = {
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
