/**
 * One download job, a chain of stages: receive (files from the plugin, each
 * given its target, in `files.ndjson`), download (a restricted Worker per
 * job, bounded concurrency, each outcome in `downloads.ndjson`), then after
 * `complete` one automatic retry round for failed files (URL mode), the ZIP
 * (a restricted Worker, `zip.ndjson`) and `job_complete` last. Targets are
 * fixed when a file arrives and recorded, so retries, the retry round and a
 * restart all resume the same `.part` (no `name (1)` copies). SQLite is the
 * index a restart resumes from; the job directory's NDJSON files alone tell
 * what happened. A URL-mode job stops when its connection closes; a
 * token-mode job goes on.
 *
 * @module
 */
import type { Logger } from "../../lib/log/mod.ts";
import type { RateLimiter } from "../../lib/rate_limit/mod.ts";
import type { Clock } from "../../lib/time/mod.ts";
import * as acks from "./acks.ts";
import type { Ack } from "./acks.ts";
import { failureReason } from "./fetch_attachment.ts";
import { JobLog, updateJobRecord } from "./job_log.ts";
import type { JobRow, JobStore } from "./job_store.ts";
import type { JobConfig } from "./protocol.ts";
import { parseLinkItem } from "./protocol.ts";
import { RefreshBroker } from "./refresh_broker.ts";
import type { JobSettings } from "./settings.ts";
import { runZipStage } from "./zip_stage.ts";
import { jobFolder } from "./_job_files.ts";
import { JobReceiver } from "./_job_receive.ts";
import { JobDownloads } from "./_job_downloads.ts";
import { type JobFile, JobFileTable } from "./_job_file_table.ts";

export { folderName } from "./_job_files.ts";

export type { JobFile } from "./_job_file_table.ts";

/** What a job tells the service (for the UI and the log). */
export type JobEvent =
  | { kind: "file"; job: AttachmentJob; file: JobFile }
  | { kind: "job"; job: AttachmentJob };

/** What a job needs from the service. */
export interface JobDeps {
  store: JobStore;
  /** Where job directories (stage files) go: `<jobsDir>/<job key>/`. */
  jobsDir: string;
  settings: () => JobSettings;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  onEvent?: (e: JobEvent) => void;
}

/** A running job. */
export class AttachmentJob {
  /** Job key (the job directory's name). */
  readonly key: string;
  /** The job's config as the plugin sent it. */
  readonly config: JobConfig;
  /** The download folder (absolute). */
  readonly dir: string;
  /** Set when the job can no longer download (e.g. a refused token); shown in the UI. */
  error?: string;
  /** Life of the job. */
  status: JobRow["status"] = "running";
  /** The ZIP written, when there is one. */
  zipPath?: string;
  /** The job's stage files. */
  readonly log: JobLog;
  #deps: JobDeps;
  #table: JobFileTable;
  #send?: (ack: Ack) => void;
  #broker: RefreshBroker;
  #downloads: JobDownloads;
  #receiver: JobReceiver;
  #abort = new AbortController();
  #finalizing?: Promise<void>;
  #completeRequested = false;
  #ended = Promise.withResolvers<void>();

  /** Use {@linkcode AttachmentJob.create} or {@linkcode AttachmentJob.resume}. */
  private constructor(key: string, config: JobConfig, dir: string, deps: JobDeps) {
    this.key = key;
    this.config = config;
    this.dir = dir;
    this.#deps = deps;
    this.log = new JobLog(deps.jobsDir, key);
    this.#table = new JobFileTable({
      key,
      store: deps.store,
      log: this.log,
      onChange: (file) => deps.onEvent?.({ kind: "file", job: this, file }),
    });
    this.#receiver = new JobReceiver({
      key,
      dir,
      store: deps.store,
      log: this.log,
      table: this.#table,
      emit: (ack) => this.#emit(ack),
    });
    this.#broker = new RefreshBroker({
      ask: (order, name) => this.#emit(acks.refreshAck(order, name)),
      clock: deps.clock,
    });
    this.#downloads = new JobDownloads({
      key,
      config,
      dir,
      settings: deps.settings,
      limiter: deps.limiter,
      clock: deps.clock,
      logger: deps.logger,
      table: this.#table,
      requestUrl: (order, name, signal) => this.#broker.request(order, name, signal),
      emit: (ack) => this.#emit(ack),
      fail: (reason) => this.#fail(reason),
      onProgress: (file) => deps.onEvent?.({ kind: "file", job: this, file }),
    });
  }

  /**
   * A new job for `config` in `output`: the folder is `<output>/<clean name>`,
   * `<name>_<jobId>` when taken; an interrupted URL-mode job of the same name
   * is continued in its folder instead (its finished files are reused).
   */
  static async create(config: JobConfig, deps: JobDeps, send?: (ack: Ack) => void): Promise<AttachmentJob> {
    const output = deps.settings().output;
    const { dir, earlier } = await jobFolder(config, deps.store, output);
    if (earlier) updateJobRecord(deps.store, deps.jobsDir, earlier.key, { status: "resumed" });
    // An empty job (the plugin's 800 ms fallback "probe" config) leaves no folder behind (upstream does).
    if (config.total > 0) await Deno.mkdir(dir, { recursive: true });
    const key = crypto.randomUUID();
    const startedAt = deps.clock.now();
    deps.store.createJob({ key, config, dir, startedAt });
    const job = new AttachmentJob(key, config, dir, deps);
    job.log.config(key, config, dir, startedAt);
    job.#send = send;
    if (earlier) job.#receiver.inherit(deps.store.files(earlier.key));
    deps.logger.info("attachments.job_start", { job: key, mode: config.mode, dir, total: config.total });
    deps.onEvent?.({ kind: "job", job });
    return job;
  }

  /** Continue a job a stopped process left running (token mode): pending files, then finalize. */
  static resume(row: JobRow, deps: JobDeps): AttachmentJob {
    const job = new AttachmentJob(row.key, row.config, row.dir, deps);
    job.#completeRequested = row.completeRequested;
    for (const f of deps.store.files(row.key)) {
      const file: JobFile = {
        seq: f.seq,
        item: f.item,
        rel: f.rel,
        status: f.status,
        error: f.error,
        bytes: f.bytes,
      };
      job.#receiver.known(file);
      if (f.status === "pending" || f.status === "downloading") job.#downloads.run(file);
    }
    deps.logger.info("attachments.job_resume", { job: row.key, files: job.files.size });
    deps.onEvent?.({ kind: "job", job });
    job.#finalizing = job.#finalize();
    return job;
  }

  /** Whether the job has ended (completed or aborted). */
  get done(): boolean {
    return this.status !== "running";
  }

  /** Resolves when the job has ended: finalized, interrupted or stopped. */
  get finished(): Promise<void> {
    return this.#ended.promise;
  }

  /** The files, by sequence number. */
  get files(): Map<number, JobFile> {
    return this.#table.files;
  }

  /** Files by state. */
  counts(): { total: number; downloading: number; done: number; failed: number; pending: number } {
    return this.#table.counts(this.config.total);
  }

  /** Files of a link frame: each validated; problems are per-file error acks. */
  async addItems(raws: unknown[]): Promise<void> {
    for (const raw of raws) {
      const parsed = parseLinkItem(raw, this.config.mode);
      if (this.done) {
        // Upstream queues them after job_complete; we say plainly that the job is over.
        const order = "item" in parsed ? parsed.item.order : parsed.order;
        if (order !== undefined) this.#emit(acks.itemErrorAck(order, "job already completed; file ignored."));
        continue;
      }
      if ("error" in parsed) {
        if (parsed.order !== undefined) this.#emit(acks.itemErrorAck(parsed.order, parsed.error));
        else this.#deps.logger.warn("attachments.bad_item", { job: this.key, error: parsed.error });
        continue;
      }
      if (this.files.size >= this.#deps.settings().maxFilesPerJob) {
        const order = parsed.item.order;
        const msg = `文件数超过上限（每个任务最多 ${this.#deps.settings().maxFilesPerJob} 个），已跳过。`;
        if (order !== undefined) this.#emit(acks.itemErrorAck(order, msg));
        continue;
      }
      const file = await this.#receiver.receive(parsed.item);
      if (file) {
        this.#deps.onEvent?.({ kind: "file", job: this, file });
        this.#downloads.run(file);
      }
    }
  }

  /** Connection for acks (undefined: detached). */
  attach(send: ((ack: Ack) => void) | undefined): void {
    this.#send = send;
  }

  /** A refresh reply from the plugin. */
  refreshReply(reply: Parameters<RefreshBroker["reply"]>[0]): void {
    this.#broker.reply(reply);
  }

  /** The plugin said `complete`: finalize in the background (a second call is ignored). */
  complete(): void {
    if (this.#finalizing) return;
    this.#completeRequested = true;
    this.#deps.store.markCompleteRequested(this.key);
    this.log.complete();
    this.#finalizing = this.#finalize();
  }

  /**
   * The connection closed. URL mode: downloads stop (links need the plugin)
   * and the job is kept as interrupted for the plugin's next run. Token mode:
   * it goes on, and is finalized (as aborted when `complete` never came).
   */
  detach(): void {
    this.#send = undefined;
    if (this.done) return;
    if (this.config.mode === "token") {
      this.#finalizing ??= this.#finalize();
      return;
    }
    this.#broker.close();
    this.#abort.abort(new DOMException("connection closed", "AbortError"));
    this.status = "interrupted";
    this.#updateJob({ status: "interrupted", finishedAt: this.#deps.clock.now() });
    this.#deps.logger.warn("attachments.job_interrupted", { job: this.key });
    this.#deps.onEvent?.({ kind: "job", job: this });
    this.#downloads.stop().then(() => this.#close());
  }

  /** Stop for a service shutdown: downloads cancelled, states kept for the next start. */
  async stop(): Promise<void> {
    this.#broker.close("service stopped");
    this.#abort.abort(new DOMException("service stopped", "AbortError"));
    await this.#downloads.stop();
    this.#close();
  }

  #fail(reason: string): void {
    if (this.error) return;
    this.error = reason;
    this.#updateJob({ error: reason });
    this.#deps.logger.error("attachments.job_error", { job: this.key, error: reason });
    this.#deps.onEvent?.({ kind: "job", job: this });
  }

  #updateJob(patch: Parameters<JobStore["updateJob"]>[1]): void {
    updateJobRecord(this.#deps.store, this.#deps.jobsDir, this.key, patch, this.log);
  }

  async #finalize(): Promise<void> {
    try {
      await this.#finalizeSteps();
    } finally {
      if (!this.#abort.signal.aborted) await this.#downloads.finish();
      this.#close();
    }
  }

  #close(): void {
    this.log.close();
    this.#ended.resolve();
  }

  async #finalizeSteps(): Promise<void> {
    await this.#downloads.drain();
    if (this.#abort.signal.aborted) return;
    await this.#retryRound();
    if (this.#abort.signal.aborted) return;
    // The downloads are over: their Worker ends before the ZIP's starts (one at a time in memory).
    await this.#downloads.finish();
    if (this.config.zipAfterDownload) await this.#zip();
    if (this.#abort.signal.aborted) return;
    this.status = this.#completeRequested ? "completed" : "aborted";
    this.#updateJob({ status: this.status, finishedAt: this.#deps.clock.now(), zipPath: this.zipPath });
    const c = this.counts();
    this.#deps.logger.info("attachments.job_done", { job: this.key, status: this.status, ...c });
    this.#emit(acks.jobCompleteAck(this.config.jobId));
    this.#deps.onEvent?.({ kind: "job", job: this });
  }

  /** URL mode, plugin still connected: the failed files once more, with fresh links. */
  async #retryRound(): Promise<void> {
    const failed = [...this.files.values()].filter((f) =>
      f.status === "failed" && f.item.order !== undefined
    );
    if (this.config.mode !== "url" || !failed.length || !this.#send) return;
    this.#emit(acks.retryRoundAck(failed.length));
    for (const f of failed) {
      f.item = { ...f.item, downloadUrl: undefined };
      f.error = undefined;
      this.#table.setStatus(f, "pending");
      this.#downloads.run(f);
    }
    await this.#downloads.drain();
  }

  /** The ZIP stage, from the job directory. */
  async #zip(): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true });
    try {
      const r = await runZipStage(this.log.dir, { dir: this.dir, signal: this.#abort.signal });
      if (r.outcome === "ok") {
        this.zipPath = r.path;
        this.#emit(acks.zipAck(r.path));
      } else this.#fail(`ZIP 打包失败：${r.error}`);
    } catch (e) {
      if (this.#abort.signal.aborted) return;
      this.#fail(`ZIP 打包失败：${failureReason(e)}`);
    }
  }

  #emit(ack: Ack): void {
    this.#send?.(ack);
  }
}
