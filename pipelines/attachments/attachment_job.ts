/**
 * One download job: files from the plugin, downloaded with bounded
 * concurrency into the job folder, then (after `complete`) one automatic
 * retry round for failed files (URL mode), the ZIP, and `job_complete` last.
 * Targets are fixed when a file arrives and recorded, so retries, the retry
 * round and a restart all resume the same `.part` (no `name (1)` copies).
 * A URL-mode job stops when its connection closes; a token-mode job goes on.
 *
 * @module
 */
import { join } from "node:path";
import type { Logger } from "../../lib/log/mod.ts";
import type { RateLimiter } from "../../lib/rate_limit/mod.ts";
import type { Clock } from "../../lib/time/mod.ts";
import * as acks from "./acks.ts";
import type { Ack } from "./acks.ts";
import { failureReason, fetchByToken, fetchByUrl, isTokenRefused } from "./fetch_attachment.ts";
import type { FileRow, FileStatus, JobRow, JobStore } from "./job_store.ts";
import type { JobConfig, LinkItem } from "./protocol.ts";
import { parseLinkItem } from "./protocol.ts";
import { RefreshBroker } from "./refresh_broker.ts";
import { Semaphore } from "./_semaphore.ts";
import type { JobSettings } from "./settings.ts";
import { zipFolder } from "./zip_folder.ts";
import { freeTarget, identity, jobFolder, osPath, targetPath } from "./_job_files.ts";

export { folderName } from "./_job_files.ts";

/** One file of a job, as the UI sees it: its stored row plus the size when known. */
export type JobFile = Omit<FileRow, "jobKey"> & { total?: number };

/** What a job tells the service (for the UI and the log). */
export type JobEvent =
  | { kind: "file"; job: AttachmentJob; file: JobFile }
  | { kind: "job"; job: AttachmentJob };

/** What a job needs from the service. */
export interface JobDeps {
  store: JobStore;
  settings: () => JobSettings;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  onEvent?: (e: JobEvent) => void;
}

/** A running job. */
export class AttachmentJob {
  readonly key: string;
  readonly config: JobConfig;
  readonly dir: string;
  readonly files = new Map<number, JobFile>();
  /** Set when the job can no longer download (e.g. a refused token); shown in the UI. */
  error?: string;
  status: JobRow["status"] = "running";
  zipPath?: string;
  #deps: JobDeps;
  #send?: (ack: Ack) => void;
  #broker: RefreshBroker;
  #sem: Semaphore;
  #ahead: Semaphore;
  #abort = new AbortController();
  #tasks = new Set<Promise<void>>();
  #usedRels = new Set<string>();
  #inherited = new Map<string, { rel: string; done: boolean }>();
  #finalizing?: Promise<void>;
  #completeRequested = false;
  #lastProgress = new Map<number, number>();
  #ended = Promise.withResolvers<void>();

  /** Use {@linkcode AttachmentJob.create} or {@linkcode AttachmentJob.resume}. */
  private constructor(key: string, config: JobConfig, dir: string, deps: JobDeps) {
    this.key = key;
    this.config = config;
    this.dir = dir;
    this.#deps = deps;
    this.#broker = new RefreshBroker({
      ask: (order, name) => this.#emit(acks.refreshAck(order, name)),
      clock: deps.clock,
    });
    const s = deps.settings();
    const concurrency = config.mode === "token"
      ? Math.max(config.concurrent ?? 1, s.downloadConcurrency)
      : s.downloadConcurrency;
    this.#sem = new Semaphore(concurrency);
    this.#ahead = new Semaphore(concurrency * 2);
  }

  /**
   * A new job for `config` in `output`: the folder is `<output>/<clean name>`,
   * `<name>_<jobId>` when taken; an interrupted URL-mode job of the same name
   * is continued in its folder instead (its finished files are reused).
   */
  static async create(config: JobConfig, deps: JobDeps, send?: (ack: Ack) => void): Promise<AttachmentJob> {
    const output = deps.settings().output;
    const { dir, earlier } = await jobFolder(config, deps.store, output);
    // An empty job (the plugin's 800 ms fallback "probe" config) leaves no folder behind (upstream does).
    if (config.total > 0) await Deno.mkdir(dir, { recursive: true });
    const key = crypto.randomUUID();
    deps.store.createJob({ key, config, dir, startedAt: deps.clock.now() });
    const job = new AttachmentJob(key, config, dir, deps);
    job.#send = send;
    if (earlier) {
      for (const f of deps.store.files(earlier.key)) {
        job.#inherited.set(identity(f.item), { rel: f.rel, done: f.status === "done" });
      }
    }
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
      job.files.set(f.seq, file);
      job.#usedRels.add(f.rel.toLowerCase());
      if (f.status === "pending" || f.status === "downloading") job.#run(file);
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

  /** Files by state. */
  counts(): { total: number; downloading: number; done: number; failed: number; pending: number } {
    const c = {
      total: Math.max(this.config.total, this.files.size),
      downloading: 0,
      done: 0,
      failed: 0,
      pending: 0,
    };
    for (const f of this.files.values()) {
      if (f.status === "downloading") c.downloading++;
      else if (f.status === "done") c.done++;
      else if (f.status === "failed") c.failed++;
    }
    c.pending = c.total - c.done - c.failed;
    return c;
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
      await this.#add(parsed.item);
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
    this.#deps.store.updateJob(this.key, { status: "interrupted", finishedAt: this.#deps.clock.now() });
    this.#deps.logger.warn("attachments.job_interrupted", { job: this.key });
    this.#deps.onEvent?.({ kind: "job", job: this });
    Promise.allSettled([...this.#tasks]).then(() => this.#ended.resolve());
  }

  /** Stop for a service shutdown: downloads cancelled, states kept for the next start. */
  async stop(): Promise<void> {
    this.#broker.close("service stopped");
    this.#abort.abort(new DOMException("service stopped", "AbortError"));
    await Promise.allSettled([...this.#tasks]);
    this.#ended.resolve();
  }

  async #add(item: LinkItem): Promise<void> {
    const inherited = this.#inherited.get(identity(item));
    let rel: string;
    let dest: string;
    try {
      if (inherited) {
        this.#inherited.delete(identity(item));
        rel = inherited.rel;
      } else {
        rel = await freeTarget(this.dir, item, this.#usedRels);
      }
      dest = await targetPath(this.dir, rel);
    } catch (e) {
      if (item.order !== undefined) this.#emit(acks.itemErrorAck(item.order, failureReason(e)));
      return;
    }
    this.#usedRels.add(rel.toLowerCase());
    const seq = this.#deps.store.addFile(this.key, item, rel);
    const file: JobFile = { seq, item, rel, status: "pending", bytes: 0 };
    this.files.set(seq, file);
    // A file of the earlier run that is on disk: done, or renamed just before that run stopped (size matches).
    const onDisk = inherited ? await Deno.stat(dest).catch(() => undefined) : undefined;
    if (onDisk?.isFile && (inherited!.done || onDisk.size === item.size)) {
      file.bytes = onDisk.size;
      this.#setStatus(file, "done");
      if (item.order !== undefined) {
        this.#emit(acks.fileSuccessAck(item.order, dest, osPath(rel), item.name, file.bytes));
      }
      return;
    }
    this.#deps.onEvent?.({ kind: "file", job: this, file });
    this.#run(file);
  }

  #run(file: JobFile): void {
    const task = this.#download(file).finally(() => this.#tasks.delete(task));
    this.#tasks.add(task);
  }

  async #download(file: JobFile): Promise<void> {
    const signal = this.#abort.signal;
    const releases: (() => void)[] = [];
    const s = this.#deps.settings();
    const dest = join(this.dir, ...file.rel.split("/"));
    const order = file.item.order;
    try {
      // URL mode asks for the link before a download slot is free (at most 2× the concurrency
      // ahead, so links do not age), so slots do not sit idle during the plugin's round trip.
      releases.push(await this.#ahead.take(signal));
      if (this.error) throw new Error(this.error);
      const refresh = () => this.#broker.request(order!, file.item.name, signal);
      const first = this.config.mode === "url" ? file.item.downloadUrl ?? await refresh() : "";
      releases.push(await this.#sem.take(signal));
      this.#setStatus(file, "downloading");
      const common = {
        dest,
        connectTimeoutMs: s.connectTimeoutMs,
        readTimeoutMs: s.readTimeoutMs,
        signal,
        clock: this.#deps.clock,
        logger: this.#deps.logger,
        fetch: this.#deps.fetch,
        onProgress: (bytes: number, total?: number) => this.#progress(file, bytes, total),
      };
      let result;
      if (this.config.mode === "token") {
        if (!s.personalBaseToken) throw new Error("未配置授权码（Personal Base Token），无法按授权码下载。");
        result = await fetchByToken({
          baseApiUrl: s.baseApiUrl,
          token: s.personalBaseToken,
          appToken: this.config.appToken!,
          tableId: this.config.tableId!,
          item: file.item,
          limiter: this.#deps.limiter,
        }, common);
      } else {
        result = await fetchByUrl(first, refresh, common);
      }
      file.bytes = result.bytes;
      file.error = undefined;
      this.#setStatus(file, "done");
      if (order !== undefined) {
        this.#emit(acks.fileSuccessAck(order, dest, osPath(file.rel), file.item.name, result.bytes));
      }
    } catch (e) {
      if (signal.aborted) return;
      const reason = failureReason(e);
      if (isTokenRefused(e)) this.#fail(reason);
      file.error = reason;
      this.#setStatus(file, "failed");
      this.#deps.logger.warn("attachments.file_failed", { job: this.key, order, error: reason });
      if (order !== undefined) {
        this.#emit(acks.fileErrorAck(order, reason, file.item.name, file.item.path, 3));
      }
    } finally {
      for (const r of releases.reverse()) r();
    }
  }

  #progress(file: JobFile, bytes: number, total?: number): void {
    file.bytes = bytes;
    file.total = total ?? file.item.size;
    const order = file.item.order;
    if (order === undefined || !total) return;
    const now = this.#deps.clock.now();
    if (now - (this.#lastProgress.get(order) ?? -Infinity) < 500) return;
    this.#lastProgress.set(order, now);
    this.#emit(acks.progressAck(order, (bytes / total) * 100));
    this.#deps.onEvent?.({ kind: "file", job: this, file });
  }

  #setStatus(file: JobFile, status: FileStatus): void {
    file.status = status;
    this.#deps.store.setFile(this.key, file.seq, status, { error: file.error, bytes: file.bytes });
    this.#deps.onEvent?.({ kind: "file", job: this, file });
  }

  #fail(reason: string): void {
    if (this.error) return;
    this.error = reason;
    this.#deps.store.updateJob(this.key, { error: reason });
    this.#deps.logger.error("attachments.job_error", { job: this.key, error: reason });
    this.#deps.onEvent?.({ kind: "job", job: this });
  }

  async #drain(): Promise<void> {
    while (this.#tasks.size) await Promise.allSettled([...this.#tasks]);
  }

  async #finalize(): Promise<void> {
    try {
      await this.#finalizeSteps();
    } finally {
      this.#ended.resolve();
    }
  }

  async #finalizeSteps(): Promise<void> {
    await this.#drain();
    if (this.#abort.signal.aborted) return;
    const failed = [...this.files.values()].filter((f) =>
      f.status === "failed" && f.item.order !== undefined
    );
    if (this.config.mode === "url" && failed.length && this.#send) {
      this.#emit(acks.retryRoundAck(failed.length));
      for (const f of failed) {
        f.item = { ...f.item, downloadUrl: undefined };
        f.error = undefined;
        this.#setStatus(f, "pending");
        this.#run(f);
      }
      await this.#drain();
      if (this.#abort.signal.aborted) return;
    }
    if (this.config.zipAfterDownload) {
      try {
        const zipPath = `${this.dir}.zip`;
        await Deno.mkdir(this.dir, { recursive: true });
        await zipFolder(this.dir, zipPath, { signal: this.#abort.signal });
        this.zipPath = zipPath;
        this.#emit(acks.zipAck(zipPath));
      } catch (e) {
        if (this.#abort.signal.aborted) return;
        this.#fail(`ZIP 打包失败：${failureReason(e)}`);
      }
    }
    this.status = this.#completeRequested ? "completed" : "aborted";
    this.#deps.store.updateJob(this.key, {
      status: this.status,
      finishedAt: this.#deps.clock.now(),
      zipPath: this.zipPath,
    });
    const c = this.counts();
    this.#deps.logger.info("attachments.job_done", { job: this.key, status: this.status, ...c });
    this.#emit(acks.jobCompleteAck(this.config.jobId));
    this.#deps.onEvent?.({ kind: "job", job: this });
  }

  #emit(ack: Ack): void {
    this.#send?.(ack);
  }
}
