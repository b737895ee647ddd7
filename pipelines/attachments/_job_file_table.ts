/**
 * The files of one job and their states (internal): each change goes to the
 * store (the resume index), to `downloads.ndjson` (the stage file) and to
 * the UI, in that order, from one place.
 *
 * @module
 */
import type { FileRow, FileStatus, JobStore } from "./job_store.ts";
import type { JobLog } from "./job_log.ts";
import type { DownloadRecord } from "./stage_files.ts";

/** One file of a job, as the UI sees it: its stored row plus the size when known. */
export type JobFile = Omit<FileRow, "jobKey"> & { total?: number };

/** What a state change may add to its `downloads.ndjson` line. */
export type FileStateDetails =
  & Partial<Pick<DownloadRecord, "sha256" | "resumes" | "elapsed_ms" | "error">>
  & {
    /** `reused`: an earlier run's file on disk was taken (state `done`). */
    outcome?: "reused";
  };

/** The `downloads.ndjson` outcome of a file state. */
const OUTCOME: Record<FileStatus, DownloadRecord["outcome"]> = {
  downloading: "started",
  done: "done",
  failed: "failed",
  pending: "retry",
};

/** Files of a job by sequence number, with their recorded states. */
export class JobFileTable {
  /** The files, by sequence number. */
  readonly files = new Map<number, JobFile>();
  #o: { key: string; store: JobStore; log: JobLog; onChange: (file: JobFile) => void };

  /** A table for job `key`. */
  constructor(o: { key: string; store: JobStore; log: JobLog; onChange: (file: JobFile) => void }) {
    this.#o = o;
  }

  /** A file's new state, in the store, in `downloads.ndjson` and to the UI. */
  setStatus(file: JobFile, status: FileStatus, details: FileStateDetails = {}): void {
    file.status = status;
    this.#o.store.setFile(this.#o.key, file.seq, status, { error: file.error, bytes: file.bytes });
    const { outcome, ...fields } = details;
    this.#o.log.download({
      seq: file.seq,
      outcome: outcome ?? OUTCOME[status],
      rel: file.rel,
      bytes: file.bytes,
      ...fields,
    });
    this.#o.onChange(file);
  }

  /** Files by state (`announced`: the files the plugin said it would send). */
  counts(
    announced: number,
  ): { total: number; downloading: number; done: number; failed: number; pending: number } {
    const c = { total: Math.max(announced, this.files.size), downloading: 0, done: 0, failed: 0, pending: 0 };
    for (const f of this.files.values()) {
      if (f.status === "downloading") c.downloading++;
      else if (f.status === "done") c.done++;
      else if (f.status === "failed") c.failed++;
    }
    c.pending = c.total - c.done - c.failed;
    return c;
  }
}
