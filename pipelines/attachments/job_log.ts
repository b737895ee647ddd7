/**
 * The writers of one job's stage files (`job.ndjson`, `files.ndjson`,
 * `downloads.ndjson`; see `stage_files.ts`) in its job directory
 * `<jobs dir>/<job key>/` (0700, files 0600), and
 * {@linkcode updateJobRecord}: a job's status changed in the store and in
 * `job.ndjson` at once, so the two never tell different stories.
 *
 * @module
 */
import { join } from "node:path";
import type { NdjsonWriter } from "../../lib/ndjson/ndjson_writer.ts";
import type { JobRow, JobStore } from "./job_store.ts";
import type { JobConfig, LinkItem } from "./protocol.ts";
import { type DownloadRecord, type FileRecord, JOB_STAGES, type JobRecord } from "./stage_files.ts";

/** The job directory of job `key`. */
export function jobDirOf(jobsDir: string, key: string): string {
  return join(jobsDir, key);
}

/** Open writers of a job's stage files. */
export class JobLog {
  /** The job directory. */
  readonly dir: string;
  #job: NdjsonWriter<JobRecord>;
  #files: NdjsonWriter<FileRecord>;
  #downloads: NdjsonWriter<DownloadRecord>;

  /** Open (creating) the job directory of `key` below `jobsDir`. */
  constructor(jobsDir: string, key: string) {
    this.dir = jobDirOf(jobsDir, key);
    Deno.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.#job = JOB_STAGES.open(this.dir, "job");
    this.#files = JOB_STAGES.open(this.dir, "files");
    this.#downloads = JOB_STAGES.open(this.dir, "downloads");
  }

  /** The job's config as received (never a token). */
  config(key: string, config: JobConfig, dir: string, startedAt: number): void {
    this.#job.append({
      type: "config",
      at: now(),
      key,
      job_id: config.jobId,
      name: config.name,
      mode: config.mode,
      total: config.total,
      zip_after: config.zipAfterDownload,
      concurrent: config.concurrent,
      table_id: config.tableId,
      app_token: config.appToken,
      dir,
      started_at: startedAt,
    });
  }

  /** The plugin said `complete`. */
  complete(): void {
    this.#job.append({ type: "complete", at: now() });
  }

  /** The job as it is after a change. */
  status(row: JobRow): void {
    this.#job.append(statusRecord(row));
  }

  /** A file announced, with its target (the link, if any, is not written). */
  file(seq: number, item: LinkItem, rel: string): FileRecord {
    const record = fileRecord(seq, item, rel);
    this.#files.append(record);
    return record;
  }

  /** A download started, ended or was queued again. */
  download(record: Omit<DownloadRecord, "type" | "at">): void {
    this.#downloads.append({ type: "download", at: now(), ...record });
  }

  /** Close the files. */
  close(): void {
    this.#job.close();
    this.#files.close();
    this.#downloads.close();
  }
}

/** The `files.ndjson` record of a file (never its link: only whether one came with it). */
export function fileRecord(seq: number, item: LinkItem, rel: string): FileRecord {
  return {
    type: "file",
    at: now(),
    seq,
    order: item.order,
    name: item.name,
    path: item.path,
    size: item.size,
    token: item.token,
    field_id: item.fieldId,
    record_id: item.recordId,
    url_given: item.downloadUrl !== undefined,
    rel,
  };
}

/** Change job `key` in the store and append its new state to its `job.ndjson`. */
export function updateJobRecord(
  store: JobStore,
  jobsDir: string,
  key: string,
  patch: Parameters<JobStore["updateJob"]>[1],
  log?: JobLog,
): void {
  store.updateJob(key, patch);
  const row = store.job(key);
  if (!row) return;
  if (log) log.status(row);
  else {
    const dir = jobDirOf(jobsDir, key);
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    JOB_STAGES.append(dir, "job", statusRecord(row));
  }
}

function statusRecord(row: JobRow): JobRecord {
  return {
    type: "status",
    at: now(),
    status: row.status,
    finished_at: row.finishedAt,
    zip_path: row.zipPath,
    error: row.error,
  };
}

function now(): string {
  return new Date().toISOString();
}
