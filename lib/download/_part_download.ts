import { LarkError } from "../errors/lark_error.ts";
import { ensureParentDir } from "../fs/atomic_write.ts";
import { dispositionFileName } from "../http/content_disposition.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { backoffDelay } from "../retry/backoff.ts";
import { parseRetryAfter } from "../retry/retry_after.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { DownloadError } from "./download_error.ts";
import type { DownloadFileOptions, DownloadResult } from "./download_file.ts";
import { headerInt, parseContentRange } from "./_http_parts.ts";
import { openUrl } from "./_open_url.ts";
import { errText, onDisk, syncFile } from "./_fs_steps.ts";
import { fileSize, type PartMeta, readPartMeta, removePartMeta, writePartMeta } from "./_part_meta.ts";
import { writeBody } from "./_write_body.ts";

/** What one attempt achieved: the file is complete, or another attempt is needed. */
type Step = "done" | "again";

/**
 * The state of one `downloadFile` call (internal): the `.part` file, its
 * metadata (size and ETag the server declared), the current URL and the
 * failures in a row. Each method is one step of an attempt.
 */
export class PartDownload {
  #o: DownloadFileOptions;
  #log: Logger;
  #clock: Clock;
  #part: string;
  #metaPath: string;
  #url: string;
  #meta: PartMeta;
  #offset: number;
  #failures = 0;
  /** What the server asked to wait before the next attempt (Retry-After on 408/429/5xx), ms. */
  #askedWaitMs: number | undefined;
  #result: DownloadResult;

  private constructor(o: DownloadFileOptions, meta: PartMeta, offset: number) {
    this.#o = o;
    this.#log = o.logger ?? silentLogger;
    this.#clock = o.clock ?? systemClock;
    this.#part = `${o.dest}.part`;
    this.#metaPath = `${this.#part}.json`;
    this.#url = o.url;
    this.#meta = meta;
    this.#offset = offset;
    this.#result = { path: o.dest, bytes: 0, resumes: 0, restarts: 0, refreshes: 0, attempts: 0 };
  }

  /** Create the folder and pick up a `.part` an earlier run left. */
  static async open(o: DownloadFileOptions): Promise<PartDownload> {
    await onDisk(() => ensureParentDir(o.dest));
    const part = `${o.dest}.part`;
    return new PartDownload(o, await readPartMeta(`${part}.json`), await fileSize(part));
  }

  /** One request: refresh an expired link, accept a finished file, or stream the body into `.part`. */
  async attempt(): Promise<Step> {
    const o = this.#o;
    const abort = new AbortController();
    const signal = o.signal ? AbortSignal.any([o.signal, abort.signal]) : abort.signal;
    const headers: Record<string, string> = { "accept-encoding": "identity", ...o.headers };
    if (this.#offset > 0) {
      headers.range = `bytes=${this.#offset}-`;
      if (this.#meta.etag) headers["if-range"] = this.#meta.etag;
    }
    await o.beforeRequest?.(signal);
    this.#result.attempts++;
    const { res, url: finalUrl } = await openUrl(this.#url, {
      fetch: o.fetch ?? fetch,
      headers,
      maxRedirects: o.maxRedirects ?? 5,
      connectTimeoutMs: o.connectTimeoutMs ?? 30_000,
      signal,
    });
    const type = res.headers.get("content-type") ?? "";
    const expired = (o.refreshStatuses ?? [403, 404, 410]).includes(res.status);
    const errorJson = res.ok && type.includes("json");
    if (expired || errorJson) return await this.#refresh(res, type, errorJson);
    if (res.status === 416) return await this.#rangeNotSatisfiable(res);
    if (res.status === 200 || res.status === 206) {
      if (finalUrl !== this.#url) this.#log.debug("download.redirected", { dest: o.dest });
      return await this.#receive(res, type, abort);
    }
    await res.body?.cancel().catch(() => {});
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    if (retryable) this.#noteRetryAfter(res);
    throw new DownloadError("http_status", `HTTP ${res.status}`, {
      httpStatus: res.status,
      ...(retryable ? {} : { retryable: false }),
    });
  }

  /**
   * An attempt failed: rethrow when it is final (aborted, not retryable, too
   * many failures without a new byte), else log and wait the backoff.
   */
  async failed(e: unknown): Promise<void> {
    const o = this.#o;
    if (o.signal?.aborted) throw o.signal.reason ?? e;
    if (e instanceof LarkError && !e.retryable) throw e;
    this.#offset = await fileSize(this.#part);
    this.#failures++;
    if (this.#failures > (o.maxRetries ?? 5)) {
      throw new DownloadError(
        "interrupted",
        `gave up after ${this.#failures} failed attempts: ${errText(e)}`,
        {
          cause: e,
        },
      );
    }
    const wait = this.#askedWaitMs ??
      backoffDelay(this.#failures, { baseMs: o.retryDelayMs ?? 1000, capMs: 30_000, jitter: 0 });
    this.#askedWaitMs = undefined;
    this.#log.warn("download.retry", {
      dest: o.dest,
      bytes: this.#offset,
      attempt: this.#failures,
      wait_ms: wait,
      error: errText(e),
    });
    await this.#clock.sleep(wait, o.signal);
  }

  /** Check the size, rename `.part` to the destination, drop the metadata. */
  async finish(): Promise<DownloadResult> {
    const o = this.#o;
    if (o.expectedSize !== undefined && this.#offset !== o.expectedSize) {
      throw new DownloadError("size_mismatch", `file has ${this.#offset} bytes, expected ${o.expectedSize}`, {
        retryable: false,
      });
    }
    await onDisk(() => Deno.rename(this.#part, o.dest));
    await removePartMeta(this.#metaPath);
    this.#result.bytes = this.#offset;
    this.#log.info("download.done", {
      dest: o.dest,
      bytes: this.#offset,
      resumes: this.#result.resumes,
      refreshes: this.#result.refreshes,
    });
    return this.#result;
  }

  /** 403/404/410 or a JSON error instead of the file: ask for a fresh URL (or give up). */
  async #refresh(res: Response, type: string, errorJson: boolean): Promise<Step> {
    const o = this.#o;
    const detail = errorJson || type.includes("json") ? (await res.text()).slice(0, 300) : "";
    if (!errorJson) await res.body?.cancel().catch(() => {});
    if (!o.refreshUrl || this.#result.refreshes >= (o.maxRefreshes ?? 3)) {
      throw new DownloadError("link_expired", `HTTP ${res.status} ${detail}`.trim(), {
        httpStatus: res.status,
      });
    }
    this.#result.refreshes++;
    this.#log.info("download.refresh_url", { dest: o.dest, status: res.status });
    this.#url = await o.refreshUrl({
      status: res.status,
      reason: errorJson ? "error_json" : "expired_status",
    });
    return "again";
  }

  /** 416: complete already (stopped between the last byte and the rename), or start over. */
  async #rangeNotSatisfiable(res: Response): Promise<Step> {
    await res.body?.cancel().catch(() => {});
    const total = parseContentRange(res.headers.get("content-range"))?.total;
    const m = this.#meta;
    if (this.#offset > 0 && total === this.#offset && (m.total === undefined || m.total === total)) {
      if (this.#o.fsync ?? true) await syncFile(this.#part);
      return "done";
    }
    await this.#restart("416 range not satisfiable");
    return "again";
  }

  /** 200/206: check the range and the declared size, then stream the body into `.part`. */
  async #receive(res: Response, type: string, abort: AbortController): Promise<Step> {
    let total: number | undefined;
    if (res.status === 206) {
      const cr = parseContentRange(res.headers.get("content-range"));
      if (!cr || cr.start !== this.#offset) {
        await res.body?.cancel().catch(() => {});
        await this.#restart(`206 for another range (${res.headers.get("content-range")})`);
        return "again";
      }
      total = cr.total;
      this.#result.resumes++;
    } else {
      if (this.#offset > 0) await this.#restart("server ignored Range");
      total = headerInt(res.headers.get("content-length"));
    }
    if (this.#meta.total !== undefined && total !== undefined && total !== this.#meta.total) {
      await res.body?.cancel().catch(() => {});
      await this.#restart(`remote size changed from ${this.#meta.total} to ${total}`);
      return "again";
    }
    await this.#rememberRemote(res, total);
    this.#result.contentType = type || undefined;
    this.#result.fileName = dispositionFileName(res.headers.get("content-disposition")) ??
      this.#result.fileName;
    return await this.#writeBody(res, abort);
  }

  /** Keep the declared size and a strong ETag beside `.part`, so a later run can resume safely. */
  async #rememberRemote(res: Response, total: number | undefined): Promise<void> {
    const etag = res.headers.get("etag") ?? undefined;
    const fresh: PartMeta = {
      total: total ?? this.#meta.total,
      etag: etag && !etag.startsWith("W/") ? etag : undefined,
    };
    if (fresh.total !== this.#meta.total || fresh.etag !== this.#meta.etag) {
      this.#meta = fresh;
      await onDisk(() => writePartMeta(this.#metaPath, fresh));
    }
  }

  async #writeBody(res: Response, abort: AbortController): Promise<Step> {
    const o = this.#o;
    const before = this.#offset;
    const file = await onDisk(() =>
      Deno.open(this.#part, { write: true, create: true, append: before > 0, truncate: before === 0 })
    );
    try {
      this.#offset = await writeBody(res.body ?? new ReadableStream(), file, before, {
        abort,
        stallTimeoutMs: o.stallTimeoutMs ?? 60_000,
        onBytes: o.onProgress ? (bytes) => o.onProgress!({ bytes, total: this.#meta.total }) : undefined,
      });
      if (this.#offset > before) this.#failures = 0;
      const total = this.#meta.total;
      if (total !== undefined && this.#offset < total) {
        throw new Error(`body ended at ${this.#offset} of ${total}`);
      }
      if (total !== undefined && this.#offset > total) {
        await this.#restart(`got ${this.#offset} bytes, more than the declared ${total}`);
        return "again";
      }
      if (o.fsync ?? true) await file.sync();
    } finally {
      file.close();
      this.#offset = await fileSize(this.#part);
    }
    return "done";
  }

  /** Remember (and report) the wait a throttling or failing server asked for, capped. */
  #noteRetryAfter(res: Response): void {
    const asked = parseRetryAfter(res.headers, this.#clock.now());
    if (asked === undefined) return;
    this.#askedWaitMs = Math.min(asked, this.#o.maxRetryAfterMs ?? 30_000);
    this.#o.onThrottled?.(this.#askedWaitMs);
  }

  async #restart(why: string): Promise<void> {
    this.#log.warn("download.restart", { dest: this.#o.dest, why, had_bytes: this.#offset });
    this.#result.restarts++;
    this.#offset = 0;
    this.#meta = {};
    await Deno.truncate(this.#part, 0).catch(() => {});
    await removePartMeta(this.#metaPath);
  }
}
