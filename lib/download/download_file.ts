import type { Logger } from "../log/logger.ts";
import type { Clock } from "../time/clock.ts";
import { PartDownload } from "./_part_download.ts";

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
 * Failed attempts are retried with backoff (`lib/retry`) as long as bytes
 * keep coming.
 * Redirects are followed, never from https to http. A 403/404/410 or a JSON
 * error body asks `refreshUrl` for a new URL. Throws {@linkcode DownloadError}.
 *
 * @example
 * ```ts
 * import type { AuthProvider } from "../auth/auth_provider.ts";
 * import type { MinutesApi } from "../minutes/minutes_api.ts";
 *
 * declare const downloadUrl: string, minutes: MinutesApi, token: string, auth: AuthProvider;
 * await downloadFile({
 *   url: downloadUrl,
 *   dest: "/nas/张三/张三_周会_20260119_1000.mp4",
 *   refreshUrl: () => minutes.getMediaUrl(token, { auth }),
 *   onProgress: ({ bytes, total }) => console.log(bytes, total),
 * });
 * ```
 */
export async function downloadFile(o: DownloadFileOptions): Promise<DownloadResult> {
  const d = await PartDownload.open(o);
  for (;;) {
    o.signal?.throwIfAborted();
    let step: "done" | "again";
    try {
      step = await d.attempt();
    } catch (e) {
      await d.failed(e); // rethrows when final, else waits before the next attempt
      continue;
    }
    if (step === "done") return await d.finish();
  }
}
