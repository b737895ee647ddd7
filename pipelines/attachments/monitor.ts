/**
 * What the UI shows, kept by the service: connections, the current job and
 * its files, notices (e.g. a missing token in token mode, which the plugin
 * never shows), origins waiting for the user, and recent log lines. Listeners
 * are told of changes (at most every `throttleMs`).
 *
 * @module
 */
import type { AttachmentJob, JobFile } from "./attachment_job.ts";
import type { PendingOrigin } from "./origin_policy.ts";

/** A snapshot for the UI. */
export interface MonitorSnapshot {
  /** Whether the WebSocket service runs. */
  running: boolean;
  /** The service's WebSocket URL, when running. */
  url?: string;
  /** Plugin connections open. */
  connections: number;
  /** The current job, if any. */
  job?: {
    key: string;
    name: string;
    mode: string;
    dir: string;
    status: string;
    error?: string;
    zipPath?: string;
    counts: ReturnType<AttachmentJob["counts"]>;
  };
  /** The current job's files (at most the display limit, newest last), with their progress in percent. */
  files: (Omit<JobFile, "item"> & { name: string; path: string; order?: number; percent: number })[];
  /** Recent messages for the user (epoch ms, Chinese text). */
  notices: { at: number; message: string }[];
  /** Origins waiting for the user's answer. */
  pendingOrigins: PendingOrigin[];
  /** Recent log lines (the last 200). */
  logs: string[];
}

/** Service state for the UI. */
export class Monitor {
  /** Whether the WebSocket service runs. */
  running = false;
  /** The service's WebSocket URL, when running. */
  url?: string;
  /** Plugin connections open. */
  connections = 0;
  /** The current (latest) job. */
  job?: AttachmentJob;
  /** Messages for the user (the last 20; epoch ms, Chinese text). */
  notices: { at: number; message: string }[] = [];
  /** Origins waiting for the user (set by the service to its gate's list). */
  pendingOrigins: () => PendingOrigin[] = () => [];
  /** Log lines (the last 500). */
  logs: string[] = [];
  #listeners = new Set<() => void>();
  #timer?: ReturnType<typeof setTimeout>;
  #throttleMs: number;

  /** Create a monitor. */
  constructor(throttleMs = 250) {
    this.#throttleMs = throttleMs;
  }

  /** Listen for changes; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Something changed. */
  changed(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      for (const fn of this.#listeners) fn();
    }, this.#throttleMs);
  }

  /** A message for the user. */
  notice(message: string): void {
    this.notices = [...this.notices.slice(-19), { at: Date.now(), message }];
    this.changed();
  }

  /** A log line (kept: the last 500). */
  log(line: string): void {
    this.logs.push(line);
    if (this.logs.length > 500) this.logs.splice(0, this.logs.length - 500);
    this.changed();
  }

  /** Stop the change timer. */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The state now (files: at most `limit`, newest last). */
  snapshot(limit = 1000): MonitorSnapshot {
    const j = this.job;
    const files = j ? [...j.files.values()].slice(-limit) : [];
    return {
      running: this.running,
      url: this.url,
      connections: this.connections,
      job: j && {
        key: j.key,
        name: j.config.name,
        mode: j.config.mode,
        dir: j.dir,
        status: j.status,
        error: j.error,
        zipPath: j.zipPath,
        counts: j.counts(),
      },
      files: files.map((f) => ({
        seq: f.seq,
        rel: f.rel,
        status: f.status,
        error: f.error,
        bytes: f.bytes,
        total: f.total,
        name: f.item.name,
        path: f.item.path,
        order: f.item.order,
        percent: f.status === "done"
          ? 100
          : f.total
          ? Math.min(99, Math.floor((f.bytes / f.total) * 100))
          : 0,
      })),
      notices: this.notices,
      pendingOrigins: this.pendingOrigins(),
      logs: this.logs.slice(-200),
    };
  }
}
