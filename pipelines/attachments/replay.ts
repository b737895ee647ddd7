/**
 * An attachment job rebuilt from its job directory alone (no SQLite):
 * `job.ndjson` gives the config and the job's last status, `files.ndjson`
 * every file and its target, `downloads.ndjson` each file's last outcome,
 * `zip.ndjson` the ZIP. Equal to what the service's store holds for the job
 * in every field (a file's link, never written, aside).
 * `deno task attachments:replay <job dir>` prints it.
 *
 * @module
 */
import type { ReadNdjsonOptions } from "../../lib/ndjson/read_ndjson.ts";
import type { FileRow, FileStatus, JobRow } from "./job_store.ts";
import type { LinkItem } from "./protocol.ts";
import { type DownloadRecord, JOB_STAGES, type ZipRecord } from "./stage_files.ts";

/** A file of a replayed job. */
export interface ReplayedFile extends Omit<FileRow, "jobKey"> {
  /** SHA-256 of the saved file, when saved. */
  sha256?: string;
  /** Why it last failed, machine kind. */
  errorKind?: string;
}

/** A replayed job: its row as the store has it, its files, and its ZIP records. */
export interface ReplayedJob extends JobRow {
  /** Its files in arrival order. */
  files: ReplayedFile[];
  /** Its `zip.ndjson` records, oldest first. */
  zips: ZipRecord[];
}

/** A job directory without a `config` line in `job.ndjson`. */
export class NotAJobDirError extends Error {
  /** The error for the directory `jobDir`. */
  constructor(jobDir: string) {
    super(`${jobDir} 不是附件任务目录（没有 job.ndjson 或其中没有任务配置）。`);
    this.name = "NotAJobDirError";
  }
}

const STATUS: Record<DownloadRecord["outcome"], FileStatus> = {
  started: "downloading",
  done: "done",
  reused: "done",
  failed: "failed",
  retry: "pending",
};

/** Rebuild the job in `jobDir` from its NDJSON files. */
export async function replayJob(jobDir: string, options?: ReadNdjsonOptions): Promise<ReplayedJob> {
  let job: ReplayedJob | undefined;
  for (const r of await JOB_STAGES.read(jobDir, "job", options)) {
    if (r.type === "config") {
      job = {
        key: r.key,
        config: {
          jobId: r.job_id,
          name: r.name,
          total: r.total,
          zipAfterDownload: r.zip_after,
          mode: r.mode,
          ...(r.concurrent !== undefined ? { concurrent: r.concurrent } : {}),
          ...(r.table_id !== undefined ? { tableId: r.table_id } : {}),
          ...(r.app_token !== undefined ? { appToken: r.app_token } : {}),
        },
        dir: r.dir,
        status: "running",
        completeRequested: false,
        startedAt: r.started_at,
        files: [],
        zips: [],
      };
    } else if (!job) continue;
    else if (r.type === "complete") job.completeRequested = true;
    else {
      job.status = r.status;
      job.finishedAt = r.finished_at;
      job.zipPath = r.zip_path;
      job.error = r.error;
    }
  }
  if (!job) throw new NotAJobDirError(jobDir);
  const files = new Map<number, ReplayedFile>();
  for (const f of await JOB_STAGES.read(jobDir, "files", options)) {
    const item: LinkItem = { name: f.name, path: f.path };
    if (f.order !== undefined) item.order = f.order;
    if (f.size !== undefined) item.size = f.size;
    if (f.token !== undefined) item.token = f.token;
    if (f.field_id !== undefined) item.fieldId = f.field_id;
    if (f.record_id !== undefined) item.recordId = f.record_id;
    files.set(f.seq, { seq: f.seq, item, rel: f.rel, status: "pending", bytes: 0 });
  }
  for (const d of await JOB_STAGES.read(jobDir, "downloads", options)) {
    const f = files.get(d.seq);
    if (!f) continue;
    f.status = STATUS[d.outcome];
    f.bytes = d.bytes ?? f.bytes;
    f.error = d.outcome === "failed" ? d.error?.message : undefined;
    f.errorKind = d.outcome === "failed" ? d.error?.kind : undefined;
    f.sha256 = f.status === "done" ? d.sha256 : undefined;
  }
  job.files = [...files.values()].sort((a, b) => a.seq - b.seq);
  job.zips = await JOB_STAGES.read(jobDir, "zip", options);
  return job;
}

/** The files `downloads.ndjson` says are saved (last outcome `done` or `reused`), relative, in path order. */
export function savedFiles(downloads: readonly DownloadRecord[]): string[] {
  const last = new Map<number, DownloadRecord>();
  for (const d of downloads) last.set(d.seq, d);
  return [...last.values()]
    .filter((d) => d.outcome === "done" || d.outcome === "reused")
    .map((d) => d.rel)
    .sort();
}
