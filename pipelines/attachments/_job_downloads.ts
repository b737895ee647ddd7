/**
 * The download stage of one job as the job sees it (internal): the
 * {@linkcode DownloadStage} Worker wired to the job's link broker, the
 * document's request budget and its file table; each file handed over, its
 * outcome recorded and acknowledged to the plugin, progress passed on.
 *
 * @module
 */
import type { Logger } from "../../lib/log/mod.ts";
import type { RateLimiter } from "../../lib/rate_limit/mod.ts";
import type { Clock } from "../../lib/time/mod.ts";
import * as acks from "./acks.ts";
import type { Ack } from "./acks.ts";
import { DownloadStage } from "./download_stage.ts";
import { documentBudget } from "./fetch_attachment.ts";
import { fileRecord } from "./job_log.ts";
import type { JobConfig } from "./protocol.ts";
import { DEFAULTS, type JobSettings } from "./settings.ts";
import { osPath, targetPath } from "./_job_files.ts";
import type { JobFile, JobFileTable } from "./_job_file_table.ts";

/** What {@linkcode JobDownloads} needs from its job. */
export interface JobDownloadsOptions {
  key: string;
  config: JobConfig;
  /** The download folder. */
  dir: string;
  settings: () => JobSettings;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  table: JobFileTable;
  /** URL mode: a fresh link from the plugin. */
  requestUrl: (order: number, name: string, signal: AbortSignal) => Promise<string>;
  /** Send an ack to the plugin. */
  emit: (ack: Ack) => void;
  /** The job cannot go on (a refused token). */
  fail: (reason: string) => void;
  /** A file's progress changed (UI). */
  onProgress: (file: JobFile) => void;
}

/** The downloads of one job. */
export class JobDownloads {
  #o: JobDownloadsOptions;
  #stage: DownloadStage;
  #tasks = new Set<Promise<void>>();
  #lastProgress = new Map<number, number>();

  /** Wire the stage (its Worker starts with the first file). */
  constructor(o: JobDownloadsOptions) {
    this.#o = o;
    const s = o.settings();
    const { config } = o;
    this.#stage = new DownloadStage({
      dir: o.dir,
      mode: config.mode,
      concurrency: config.mode === "token"
        ? Math.max(config.concurrent ?? 1, s.downloadConcurrency)
        : s.downloadConcurrency,
      connectTimeoutMs: s.connectTimeoutMs,
      readTimeoutMs: s.readTimeoutMs,
      baseApiUrl: s.baseApiUrl,
      tableId: config.tableId,
      downloadHosts: s.downloadHosts ?? DEFAULTS.downloadHosts,
      requestUrl: o.requestUrl,
      budget: config.appToken ? documentBudget(o.limiter, config.appToken, o.clock) : undefined,
      onStarted: (seq) => {
        const file = o.table.files.get(seq);
        if (file) o.table.setStatus(file, "downloading");
      },
      onProgress: (seq, bytes, total) => {
        const file = o.table.files.get(seq);
        if (file) this.#progress(file, bytes, total);
      },
      logger: o.logger,
    });
  }

  /** Download `file` in the background. */
  run(file: JobFile): void {
    const task = this.#download(file).finally(() => this.#tasks.delete(task));
    this.#tasks.add(task);
  }

  /** Wait until no download is left (including ones started meanwhile). */
  async drain(): Promise<void> {
    while (this.#tasks.size) await Promise.allSettled([...this.#tasks]);
  }

  /** No more files: the Worker ends. */
  finish(): Promise<void> {
    return this.#stage.finish();
  }

  /** Stop every download (states and `.part` files stay for a resume). */
  async stop(): Promise<void> {
    await this.#stage.stop();
    await Promise.allSettled([...this.#tasks]);
  }

  /** Hand the file to the download stage and record its outcome. */
  async #download(file: JobFile): Promise<void> {
    const { config, table } = this.#o;
    const outcome = await this.#stage.download(fileRecord(file.seq, file.item, file.rel), {
      url: config.mode === "url" ? file.item.downloadUrl : undefined,
      auth: config.mode === "token" ? this.#o.settings().personalBaseToken : undefined,
    });
    const order = file.item.order;
    if (outcome.status === "aborted") return;
    if (outcome.status === "done") {
      file.bytes = outcome.bytes;
      file.error = undefined;
      table.setStatus(file, "done", {
        sha256: outcome.sha256,
        resumes: outcome.resumes,
        elapsed_ms: outcome.elapsedMs,
      });
      if (order !== undefined) {
        const dest = await targetPath(this.#o.dir, file.rel);
        this.#o.emit(acks.fileSuccessAck(order, dest, osPath(file.rel), file.item.name, outcome.bytes));
      }
      return;
    }
    if (outcome.tokenRefused) this.#o.fail(outcome.message);
    file.error = outcome.message;
    table.setStatus(file, "failed", { error: { kind: outcome.kind, message: outcome.message } });
    this.#o.logger.warn("attachments.file_failed", { job: this.#o.key, order, error: outcome.message });
    if (order !== undefined) {
      this.#o.emit(acks.fileErrorAck(order, outcome.message, file.item.name, file.item.path, 3));
    }
  }

  #progress(file: JobFile, bytes: number, total?: number): void {
    file.bytes = bytes;
    file.total = total ?? file.item.size;
    const order = file.item.order;
    if (order === undefined || !total) return;
    const now = this.#o.clock.now();
    if (now - (this.#lastProgress.get(order) ?? -Infinity) < 500) return;
    this.#lastProgress.set(order, now);
    this.#o.emit(acks.progressAck(order, (bytes / total) * 100));
    this.#o.onProgress(file);
  }
}
