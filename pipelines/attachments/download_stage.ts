/**
 * The main-thread side of a job's download stage: one restricted Worker per
 * job (`_download_worker.ts`), started at the first file, that may write only
 * the job's download folder and reach only the download hosts
 * ({@linkcode downloadGrants}). The job hands it `files.ndjson` records and
 * awaits each file's outcome; the Worker asks back for a fresh link (URL
 * mode: the plugin answers the main thread's WebSocket, so the refresh
 * broker stays here) and for a request slot (token mode: the 2 QPS budget of
 * a Base document is shared by every job of the process). A link for a host
 * outside the grant is refused here, with a message naming the host and the
 * option that allows it.
 *
 * @module
 */
import type { Logger, LogLevel } from "../../lib/log/mod.ts";
import type { WorkerGrants } from "../../lib/worker/restricted_worker.ts";
import { type StageWorkerHandle, startStageWorker } from "../../lib/worker/start_stage_worker.ts";
import type {
  DownloadWorkerEvent,
  DownloadWorkerInput,
  DownloadWorkerResult,
  DownloadWorkerStart,
} from "./_download_worker.ts";
import type { DocumentBudget } from "./fetch_attachment.ts";
import type { FileRecord } from "./stage_files.ts";

/** How one file's download ended. */
export type DownloadOutcome =
  | { status: "done"; bytes: number; sha256: string; resumes: number; elapsedMs: number }
  | { status: "failed"; kind: string; message: string; tokenRefused: boolean }
  /** Stopped (connection closed, service stopping): state unchanged, resumed later. */
  | { status: "aborted" };

/** Options of {@linkcode DownloadStage}. */
export interface DownloadStageOptions extends DownloadWorkerStart {
  /** URL mode: hosts links may point to (`host` or `host:port`; `"*"` any). */
  downloadHosts: readonly string[];
  /** URL mode: a fresh link for `order` from the plugin. */
  requestUrl: (order: number, name: string, signal: AbortSignal) => Promise<string>;
  /** Token mode: the document's request budget. */
  budget?: DocumentBudget;
  /** A download began (its slot was free). */
  onStarted?: (seq: number) => void;
  /** Bytes on disk so far. */
  onProgress?: (seq: number, bytes: number, total?: number) => void;
  logger: Logger;
  level?: LogLevel;
}

/**
 * What the download Worker may do: read/write the download folder, connect
 * to the base-api host (token mode) or the download hosts (URL mode) — those
 * of them this process may reach at all (a Worker cannot be given more).
 */
export function downloadGrants(
  o: Pick<DownloadStageOptions, "dir" | "mode" | "baseApiUrl" | "downloadHosts">,
): WorkerGrants {
  const reachable = (host: string) => Deno.permissions.querySync({ name: "net", host }).state === "granted";
  const net = o.mode === "token"
    ? [new URL(o.baseApiUrl).host]
    : o.downloadHosts.includes("*")
    ? true
    : o.downloadHosts.filter(reachable);
  return { read: [o.dir], write: [o.dir], net };
}

/** Whether `url` points to a host of `hosts` (`host` any port, `host:port` that port, `"*"` any). */
export function hostAllowed(url: string, hosts: readonly string[]): boolean {
  if (hosts.includes("*")) return true;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return hosts.includes(u.hostname) || hosts.includes(u.host);
}

/** The Chinese refusal of a link outside the grant. */
export function hostRefusal(url: string): string {
  let host = url;
  try {
    host = new URL(url).host;
  } catch { /* not a URL */ }
  return `下载链接的主机 ${host} 不在允许的下载主机列表中：如确认是飞书的下载地址，` +
    `请用 --download-host ${host}（或配置 download_hosts）允许它后重试。`;
}

/** A job's download stage (see the module doc). */
export class DownloadStage {
  #o: DownloadStageOptions;
  #handle?: StageWorkerHandle<DownloadWorkerInput, DownloadWorkerResult>;
  #pending = new Map<number, (o: DownloadOutcome) => void>();
  #abort = new AbortController();

  /** Create (the Worker starts with the first file). */
  constructor(o: DownloadStageOptions) {
    this.#o = o;
  }

  /**
   * Download one file (its record from `files.ndjson`; `url` a link the
   * plugin sent with it; `auth` the personal base token, token mode).
   */
  download(file: FileRecord, extra: { url?: string; auth?: string } = {}): Promise<DownloadOutcome> {
    if (this.#abort.signal.aborted) return Promise.resolve({ status: "aborted" });
    if (extra.url !== undefined && !hostAllowed(extra.url, this.#o.downloadHosts)) {
      const message = hostRefusal(extra.url);
      return Promise.resolve({ status: "failed", kind: "host_refused", message, tokenRefused: false });
    }
    let worker;
    try {
      worker = this.#worker();
    } catch (e) {
      const message = `无法启动下载进程：${(e as Error).message}`;
      return Promise.resolve({ status: "failed", kind: "worker", message, tokenRefused: false });
    }
    const outcome = new Promise<DownloadOutcome>((resolve) => this.#pending.set(file.seq, resolve));
    worker.send({ type: "file", file, ...extra });
    return outcome;
  }

  /** No more files: resolves when the Worker has ended. */
  async finish(): Promise<void> {
    const h = this.#handle;
    this.#handle = undefined;
    h?.send({ type: "finish" });
    await h?.result.catch(() => {});
  }

  /** Stop every download (their `.part` stay for a resume); resolves when the Worker has ended. */
  async stop(): Promise<void> {
    this.#abort.abort(new DOMException("stopped", "AbortError"));
    const h = this.#handle;
    this.#handle = undefined;
    h?.stop();
    await h?.result.catch(() => {});
  }

  #worker(): StageWorkerHandle<DownloadWorkerInput, DownloadWorkerResult> {
    if (this.#handle) return this.#handle;
    const o = this.#o;
    const start: DownloadWorkerStart = {
      dir: o.dir,
      mode: o.mode,
      concurrency: o.concurrency,
      connectTimeoutMs: o.connectTimeoutMs,
      readTimeoutMs: o.readTimeoutMs,
      baseApiUrl: o.baseApiUrl,
      tableId: o.tableId,
    };
    const handle = startStageWorker<
      DownloadWorkerStart,
      DownloadWorkerEvent,
      DownloadWorkerResult,
      DownloadWorkerInput
    >(
      new URL("./_download_worker.ts", import.meta.url),
      downloadGrants(o),
      start,
      { logger: o.logger, level: o.level, onEvent: (e) => this.#event(handle, e) },
    );
    this.#handle = handle;
    // A crashed Worker fails the files it held; the next file starts a new one.
    handle.result.catch((e) => {
      o.logger.error("attachments.download_worker_failed", { error: (e as Error).message });
    }).finally(() => {
      if (this.#handle === handle) this.#handle = undefined;
      const aborted = this.#abort.signal.aborted;
      for (const [seq, resolve] of this.#pending) {
        this.#pending.delete(seq);
        resolve(
          aborted ? { status: "aborted" } : {
            status: "failed",
            kind: "worker",
            message: "下载进程意外退出，请重试。",
            tokenRefused: false,
          },
        );
      }
    });
    return handle;
  }

  #event(handle: StageWorkerHandle<DownloadWorkerInput, DownloadWorkerResult>, e: DownloadWorkerEvent): void {
    const signal = this.#abort.signal;
    switch (e.type) {
      case "need_url":
        this.#o.requestUrl(e.order, e.name, signal).then(
          (url) =>
            handle.send(
              hostAllowed(url, this.#o.downloadHosts)
                ? { type: "url", id: e.id, url }
                : { type: "url", id: e.id, error: hostRefusal(url), kind: "host_refused" },
            ),
          (err) =>
            handle.send({
              type: "url",
              id: e.id,
              error: (err as Error).message ?? String(err),
              kind: "refresh",
            }),
        );
        return;
      case "acquire": {
        const granted = this.#o.budget ? this.#o.budget.acquire(signal) : Promise.resolve();
        granted.then(() => handle.send({ type: "slot", id: e.id }), () => {});
        return;
      }
      case "throttled":
        this.#o.budget?.pause(e.ms);
        return;
      case "started":
        this.#o.onStarted?.(e.seq);
        return;
      case "progress":
        this.#o.onProgress?.(e.seq, e.bytes, e.total);
        return;
      default: {
        const resolve = this.#pending.get(e.seq);
        this.#pending.delete(e.seq);
        if (e.type === "done") {
          resolve?.({
            status: "done",
            bytes: e.bytes,
            sha256: e.sha256,
            resumes: e.resumes,
            elapsedMs: e.elapsedMs,
          });
        } else if (e.type === "failed") {
          resolve?.({ status: "failed", kind: e.kind, message: e.message, tokenRefused: e.tokenRefused });
        } else resolve?.({ status: "aborted" });
      }
    }
  }
}
