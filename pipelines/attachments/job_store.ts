/**
 * Durable jobs, files and history in SQLite (`lib/sqlite`): a killed service
 * finishes token-mode jobs on restart, keeps URL-mode files for the plugin's
 * next run, and the UI lists past jobs with their failed files. Raw texts from
 * the plugin (names, paths) are stored JSON-encoded: `node:sqlite` cuts TEXT
 * at a NUL byte, a JSON string never contains one.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { immediate, openDatabase } from "../../lib/sqlite/mod.ts";
import type { JobConfig, LinkItem } from "./protocol.ts";

/** Life of a job. */
export type JobStatus = "running" | "completed" | "aborted" | "interrupted" | "resumed";
/** Life of a file. */
export type FileStatus = "pending" | "downloading" | "done" | "failed";

/** A stored job. */
export interface JobRow {
  /** Job key (the job directory's name). */
  key: string;
  /** The job's config as the plugin sent it. */
  config: JobConfig;
  /** The download folder (absolute). */
  dir: string;
  /** Life of the job. */
  status: JobStatus;
  /** The plugin said `complete`. */
  completeRequested: boolean;
  /** When the job started, epoch ms. */
  startedAt: number;
  /** When the job ended, epoch ms. */
  finishedAt?: number;
  /** The ZIP written (absolute). */
  zipPath?: string;
  /** Why the job can no longer download (shown in the UI). */
  error?: string;
}

/** A stored file of a job. */
export interface FileRow {
  /** Key of the file's job. */
  jobKey: string;
  /** Sequence number in the job (1-based, arrival order). */
  seq: number;
  /** The plugin's item as received. */
  item: LinkItem;
  /** Target relative to the job folder, `/`-separated. */
  rel: string;
  /** Life of the file. */
  status: FileStatus;
  /** Why it last failed. */
  error?: string;
  /** Bytes saved so far. */
  bytes: number;
}

/** A history entry: a job and its counts. */
export interface HistoryEntry extends JobRow {
  /** Files announced. */
  total: number;
  /** Files saved. */
  done: number;
  /** Files given up. */
  failed: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  key TEXT PRIMARY KEY, config TEXT NOT NULL, dir TEXT NOT NULL, status TEXT NOT NULL,
  complete_requested INTEGER NOT NULL DEFAULT 0, started_at INTEGER NOT NULL, finished_at INTEGER,
  zip_path TEXT, error TEXT);
CREATE TABLE IF NOT EXISTS files (
  job_key TEXT NOT NULL, seq INTEGER NOT NULL, item TEXT NOT NULL, rel TEXT NOT NULL,
  status TEXT NOT NULL, error TEXT, bytes INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (job_key, seq));
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** The SQLite store of the attachment service. */
export class JobStore {
  /** The open SQLite database. */
  readonly db: DatabaseSync;
  /** Where the database is (`:memory:` for none). */
  readonly path: string;

  /** Open (creating) the store at `path` (`:memory:` works). */
  constructor(path: string) {
    this.path = path;
    this.db = openDatabase(path, { schema: SCHEMA });
  }

  /** Close the database. */
  close(): void {
    this.db.close();
  }

  /** Record a new running job. */
  createJob(row: Omit<JobRow, "status" | "completeRequested">): void {
    this.db.prepare(
      "INSERT INTO jobs (key, config, dir, status, started_at) VALUES (?, ?, ?, 'running', ?)",
    ).run(row.key, JSON.stringify(row.config), JSON.stringify(row.dir), row.startedAt);
  }

  /** Change a job's status and optional fields. */
  updateJob(key: string, patch: Partial<Pick<JobRow, "status" | "finishedAt" | "zipPath" | "error">>): void {
    const job = this.job(key);
    if (!job) return;
    const next = { ...job, ...patch };
    this.db.prepare("UPDATE jobs SET status = ?, finished_at = ?, zip_path = ?, error = ? WHERE key = ?").run(
      next.status,
      next.finishedAt ?? null,
      next.zipPath === undefined ? null : JSON.stringify(next.zipPath),
      next.error === undefined ? null : JSON.stringify(next.error),
      key,
    );
  }

  /** The plugin said `complete`. */
  markCompleteRequested(key: string): void {
    this.db.prepare("UPDATE jobs SET complete_requested = 1 WHERE key = ?").run(key);
  }

  /** One job. */
  job(key: string): JobRow | undefined {
    const r = this.db.prepare("SELECT * FROM jobs WHERE key = ?").get(key);
    return r ? toJob(r) : undefined;
  }

  /** Jobs still `running` (a previous process stopped mid-job). */
  unfinishedJobs(): JobRow[] {
    return this.db.prepare("SELECT * FROM jobs WHERE status = 'running' ORDER BY started_at").all().map(
      toJob,
    );
  }

  /** The latest interrupted URL-mode job with folder name `name`, if any. */
  interruptedUrlJob(dirName: string): JobRow | undefined {
    return this.db.prepare("SELECT * FROM jobs WHERE status = 'interrupted' ORDER BY started_at DESC").all()
      .map(toJob).find((j) => j.config.mode === "url" && baseName(j.dir) === dirName);
  }

  /** Add a file (its target fixed now) and return its sequence number. */
  addFile(jobKey: string, item: LinkItem, rel: string): number {
    return immediate(this.db, () => {
      const r = this.db.prepare("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM files WHERE job_key = ?").get(
        jobKey,
      );
      const seq = Number((r as { n: number }).n);
      this.db.prepare("INSERT INTO files (job_key, seq, item, rel, status) VALUES (?, ?, ?, ?, 'pending')")
        .run(
          jobKey,
          seq,
          JSON.stringify(item),
          JSON.stringify(rel),
        );
      return seq;
    });
  }

  /** Update a file's state. */
  setFile(
    jobKey: string,
    seq: number,
    status: FileStatus,
    fields: { error?: string; bytes?: number } = {},
  ): void {
    this.db.prepare(
      "UPDATE files SET status = ?, error = ?, bytes = COALESCE(?, bytes) WHERE job_key = ? AND seq = ?",
    )
      .run(
        status,
        fields.error === undefined ? null : JSON.stringify(fields.error),
        fields.bytes ?? null,
        jobKey,
        seq,
      );
  }

  /** Files of a job in arrival order. */
  files(jobKey: string): FileRow[] {
    return this.db.prepare("SELECT * FROM files WHERE job_key = ? ORDER BY seq").all(jobKey).map(toFile);
  }

  /** Past and current jobs, newest first, with counts (at most `limit`). */
  history(limit = 200): HistoryEntry[] {
    const rows = this.db.prepare("SELECT * FROM jobs ORDER BY started_at DESC LIMIT ?").all(limit).map(toJob);
    const count = this.db.prepare(
      "SELECT COUNT(*) AS total, SUM(status = 'done') AS done, SUM(status = 'failed') AS failed FROM files WHERE job_key = ?",
    );
    return rows.map((j) => {
      const c = count.get(j.key) as { total: number; done: number | null; failed: number | null };
      return {
        ...j,
        total: Math.max(Number(c.total), j.config.total),
        done: Number(c.done ?? 0),
        failed: Number(c.failed ?? 0),
      };
    });
  }

  /** Read a setting (JSON). */
  getSetting<T>(key: string): T | undefined {
    const r = this.db.prepare("SELECT value FROM settings WHERE key = ?").get(key) as
      | { value: string }
      | undefined;
    return r ? JSON.parse(r.value) as T : undefined;
  }

  /** Write a setting (JSON). */
  setSetting(key: string, value: unknown): void {
    this.db.prepare(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
      .run(key, JSON.stringify(value));
  }
}

function toJob(r: Record<string, unknown>): JobRow {
  return {
    key: String(r.key),
    config: JSON.parse(String(r.config)),
    dir: JSON.parse(String(r.dir)),
    status: String(r.status) as JobStatus,
    completeRequested: Number(r.complete_requested) === 1,
    startedAt: Number(r.started_at),
    finishedAt: r.finished_at === null ? undefined : Number(r.finished_at),
    zipPath: r.zip_path === null ? undefined : JSON.parse(String(r.zip_path)),
    error: r.error === null ? undefined : JSON.parse(String(r.error)),
  };
}

function toFile(r: Record<string, unknown>): FileRow {
  return {
    jobKey: String(r.job_key),
    seq: Number(r.seq),
    item: JSON.parse(String(r.item)),
    rel: JSON.parse(String(r.rel)),
    status: String(r.status) as FileStatus,
    error: r.error === null ? undefined : JSON.parse(String(r.error)),
    bytes: Number(r.bytes),
  };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? "";
}
