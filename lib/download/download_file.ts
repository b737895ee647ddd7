import { LarkError } from "../errors/lark_error.ts";
import { ensureParentDir } from "../fs/atomic_write.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { parseRetryAfter } from "../retry/retry_after.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { DownloadError } from "./download_error.ts";
import { dispositionFileName, headerInt, parseContentRange } from "./_http_parts.ts";
import { openUrl } from "./_open_url.ts";
import { errText, onDisk, syncFile } from "./_fs_steps.ts";
import { fileSize, type PartMeta, readPartMeta, removePartMeta, writePartMeta } from "./_part_meta.ts";
import { writeBody } from "./_write_body.ts";

/** Why the current URL is asked to be replaced. */
export interface RefreshReason {
  /** HTTP status that refused it. */
  status: number;
  /** `expired_status` (403/404/410) or `error_json` (a JSON error instead of the file). */
  reason: "expired_status" | "error_json";
}

/** Progress of a download. */
export interface DownloadProgress {
  /** Bytes in `<dest>.part` so far (including resumed ones). */
  bytes: number;
  /** Full size, when the server said. */
  total?: number;
}

/** Options of {@linkcode downloadFile}. */
export interface DownloadFileOptions {
  /** Where to download from (a pre-signed URL, or an API URL with `headers`). */
  url: string;
  /** Final path; bytes go to `<dest>.part` first, then are renamed. */
  dest: string;
  /** Extra request headers (e.g. `Authorization`); dropped on a redirect to another origin. */
  headers?: Record<string, string>;
  /** Get a fresh URL when the current one answers 403/404/410 or a JSON error (e.g. an expired link). */
  refreshUrl?: (why: RefreshReason) => Promise<string>;
  /** Statuses that mean "this link is no good, get a new one" (default 403, 404, 410). */
  refreshStatuses?: readonly number[];
  /** Called before every request (e.g. a rate limiter's `acquire`); its rejection ends the download. */
  beforeRequest?: (signal: AbortSignal) => Promise<void>;
  /** Told how long the server asked to wait (`Retry-After` / `x-ogw-ratelimit-reset` on 408/429/5xx), ms. */
  onThrottled?: (waitMs: number) => void;
  /** Longest wait a server's `Retry-After` may impose, ms (default 30 000). */
  maxRetryAfterMs?: number;
  /** Most URL refreshes (default 3). */
  maxRefreshes?: number;
  /** Failed attempts in a row without a new byte before giving up (default 5). */
  maxRetries?: number;
  /** Most redirects per request (default 5). */
  maxRedirects?: number;
  /** Time allowed until response headers arrive, ms (default 30 000). */
  connectTimeoutMs?: number;
  /** No byte for this long means the connection is dead: resume, ms (default 60 000). */
  stallTimeoutMs?: number;
  /** First wait between attempts, doubled each time up to 30 s, ms (default 1000). */
  retryDelayMs?: number;
  /** Size the file must have, when known in advance. */
  expectedSize?: number;
  /** fsync the file before the rename (default true). */
  fsync?: boolean;
  /** Progress, at most every 250 ms and at the end. */
  onProgress?: (p: DownloadProgress) => void;
  /** Cancel; `.part` is kept for a later resume. */
  signal?: AbortSignal;
  /** `fetch` to use (default the global one). */
  fetch?: typeof fetch;
  /** Clock for the waits between attempts (default the system clock). */
  clock?: Clock;
  /** Logger (never logs the URL's query: pre-signed URLs carry credentials). */
  logger?: Logger;
}

/** Result of {@linkcode downloadFile}. */
export interface DownloadResult {
  /** The final path (`dest`). */
  path: string;
  /** File size. */
  bytes: number;
  /** Requests that continued with `Range` after an interruption or an earlier run. */
  resumes: number;
  /** Times the `.part` had to be started over (server ignored Range, file changed). */
  restarts: number;
  /** URL refreshes. */
  refreshes: number;
  /** HTTP requests made (redirect hops not counted). */
  attempts: number;
  /** `Content-Type` of the file. */
  contentType?: string;
  /** File name from `Content-Disposition`, if sent. */
  fileName?: string;
}

/**
 * Download `url` to `dest` (its folder is created when missing) by streaming
 * into `<dest>.part` (memory stays flat),
 * resuming with `Range: bytes=N-` after an interruption or a restart of the
 * process (checking `206` and `Content-Range`, starting over when the server
 * ignores the range or the file changed), checking the final length against
 * `Content-Length` / the `Content-Range` total, then renaming atomically.
 * Redirects are followed, never from https to http. A 403/404/410 or a JSON
 * error body asks `refreshUrl` for a new URL. Throws {@linkcode DownloadError}.
 *
 * @example
 * ```ts
 * await downloadFile({
 *   url: downloadUrl,
 *   dest: "/nas/张三/张三_周会_20260119_1000.mp4",
 *   refreshUrl: () => minutes.getMediaUrl(token, { auth }),
 *   onProgress: ({ bytes, total }) => console.log(bytes, total),
 * });
 * ```
 */
export async function downloadFile(o: DownloadFileOptions): Promise<DownloadResult> {
  const log = o.logger ?? silentLogger;
  const clock = o.clock ?? systemClock;
  const part = `${o.dest}.part`;
  const metaPath = `${part}.json`;
  const maxRetries = o.maxRetries ?? 5;
  const result: DownloadResult = {
    path: o.dest,
    bytes: 0,
    resumes: 0,
    restarts: 0,
    refreshes: 0,
    attempts: 0,
  };
  let url = o.url;
  await onDisk(() => ensureParentDir(o.dest));
  let meta: PartMeta = await readPartMeta(metaPath);
  let offset = await fileSize(part);
  let failures = 0;
  let askedWaitMs: number | undefined;
  const refreshStatuses = o.refreshStatuses ?? [403, 404, 410];
  const restart = async (why: string) => {
    log.warn("download.restart", { dest: o.dest, why, had_bytes: offset });
    result.restarts++;
    offset = 0;
    meta = {};
    await Deno.truncate(part, 0).catch(() => {});
    await removePartMeta(metaPath);
  };
  for (;;) {
    o.signal?.throwIfAborted();
    const abort = new AbortController();
    const signal = o.signal ? AbortSignal.any([o.signal, abort.signal]) : abort.signal;
    const headers: Record<string, string> = { "accept-encoding": "identity", ...o.headers };
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      if (meta.etag) headers["if-range"] = meta.etag;
    }
    let outcome: "done" | "again";
    try {
      await o.beforeRequest?.(signal);
      result.attempts++;
      const { res, url: finalUrl } = await openUrl(url, {
        fetch: o.fetch ?? fetch,
        headers,
        maxRedirects: o.maxRedirects ?? 5,
        connectTimeoutMs: o.connectTimeoutMs ?? 30_000,
        signal,
      });
      const type = res.headers.get("content-type") ?? "";
      const expired = refreshStatuses.includes(res.status);
      const errorJson = res.ok && type.includes("json");
      if (expired || errorJson) {
        const detail = errorJson || type.includes("json") ? (await res.text()).slice(0, 300) : "";
        if (!errorJson) await res.body?.cancel().catch(() => {});
        if (!o.refreshUrl || result.refreshes >= (o.maxRefreshes ?? 3)) {
          throw new DownloadError("link_expired", `HTTP ${res.status} ${detail}`.trim(), {
            httpStatus: res.status,
          });
        }
        result.refreshes++;
        log.info("download.refresh_url", { dest: o.dest, status: res.status });
        url = await o.refreshUrl({ status: res.status, reason: errorJson ? "error_json" : "expired_status" });
        continue;
      }
      if (res.status === 416) {
        await res.body?.cancel().catch(() => {});
        const total = parseContentRange(res.headers.get("content-range"))?.total;
        if (offset > 0 && total === offset && (meta.total === undefined || meta.total === total)) {
          // Complete already (a run stopped between the last byte and the rename).
          if (o.fsync ?? true) await syncFile(part);
          outcome = "done";
        } else {
          await restart("416 range not satisfiable");
          outcome = "again";
        }
      } else if (res.status === 200 || res.status === 206) {
        let total: number | undefined;
        if (res.status === 206) {
          const cr = parseContentRange(res.headers.get("content-range"));
          if (!cr || cr.start !== offset) {
            await res.body?.cancel().catch(() => {});
            await restart(`206 for another range (${res.headers.get("content-range")})`);
            continue;
          }
          total = cr.total;
          result.resumes++;
        } else {
          if (offset > 0) await restart("server ignored Range");
          total = headerInt(res.headers.get("content-length"));
        }
        if (meta.total !== undefined && total !== undefined && total !== meta.total) {
          await res.body?.cancel().catch(() => {});
          await restart(`remote size changed from ${meta.total} to ${total}`);
          continue;
        }
        const etag = res.headers.get("etag") ?? undefined;
        const fresh: PartMeta = {
          total: total ?? meta.total,
          etag: etag && !etag.startsWith("W/") ? etag : undefined,
        };
        if (fresh.total !== meta.total || fresh.etag !== meta.etag) {
          meta = fresh;
          await onDisk(() => writePartMeta(metaPath, meta));
        }
        result.contentType = type || undefined;
        result.fileName = dispositionFileName(res.headers.get("content-disposition")) ?? result.fileName;
        if (finalUrl !== url) log.debug("download.redirected", { dest: o.dest });
        const before = offset;
        const file = await onDisk(() =>
          Deno.open(part, {
            write: true,
            create: true,
            append: offset > 0,
            truncate: offset === 0,
          })
        );
        try {
          offset = await writeBody(res.body ?? new ReadableStream(), file, offset, {
            abort,
            stallTimeoutMs: o.stallTimeoutMs ?? 60_000,
            onBytes: o.onProgress ? (bytes) => o.onProgress!({ bytes, total: meta.total }) : undefined,
          });
          if (offset > before) failures = 0;
          if (meta.total !== undefined && offset < meta.total) {
            throw new Error(`body ended at ${offset} of ${meta.total}`);
          }
          if (meta.total !== undefined && offset > meta.total) {
            await restart(`got ${offset} bytes, more than the declared ${meta.total}`);
            continue;
          }
          if (o.fsync ?? true) await file.sync();
        } finally {
          file.close();
          offset = await fileSize(part);
        }
        outcome = "done";
      } else if (res.status === 408 || res.status === 429 || res.status >= 500) {
        await res.body?.cancel().catch(() => {});
        askedWaitMs = parseRetryAfter(res.headers, clock.now());
        if (askedWaitMs !== undefined) {
          askedWaitMs = Math.min(askedWaitMs, o.maxRetryAfterMs ?? 30_000);
          o.onThrottled?.(askedWaitMs);
        }
        throw new DownloadError("http_status", `HTTP ${res.status}`, { httpStatus: res.status });
      } else {
        await res.body?.cancel().catch(() => {});
        throw new DownloadError("http_status", `HTTP ${res.status}`, {
          httpStatus: res.status,
          retryable: false,
        });
      }
    } catch (e) {
      if (o.signal?.aborted) throw o.signal.reason ?? e;
      if (e instanceof LarkError && !e.retryable) throw e;
      offset = await fileSize(part);
      failures++;
      if (failures > maxRetries) {
        throw new DownloadError("interrupted", `gave up after ${failures} failed attempts: ${errText(e)}`, {
          cause: e,
        });
      }
      const wait = askedWaitMs ?? Math.min(30_000, (o.retryDelayMs ?? 1000) * 2 ** (failures - 1));
      askedWaitMs = undefined;
      log.warn("download.retry", {
        dest: o.dest,
        bytes: offset,
        attempt: failures,
        wait_ms: wait,
        error: errText(e),
      });
      await clock.sleep(wait, o.signal);
      continue;
    }
    if (outcome === "again") continue;
    if (o.expectedSize !== undefined && offset !== o.expectedSize) {
      throw new DownloadError("size_mismatch", `file has ${offset} bytes, expected ${o.expectedSize}`, {
        retryable: false,
      });
    }
    await onDisk(() => Deno.rename(part, o.dest));
    await removePartMeta(metaPath);
    result.bytes = offset;
    log.info("download.done", {
      dest: o.dest,
      bytes: offset,
      resumes: result.resumes,
      refreshes: result.refreshes,
    });
    return result;
  }
}
