/**
 * One attachment to disk through the core downloader (`lib/download`:
 * `.part`, `Range` resume, length check, atomic rename; `Retry-After`
 * honoured), in either mode:
 *
 * - URL mode: the plugin's temporary link; HTTP 400/401/403/404/410 asks the
 *   plugin for a fresh link and the download goes on from the bytes on disk.
 * - Token mode: `GET {base-api}/open-apis/drive/v1/medias/{file_token}/download?extra=…`
 *   with `Authorization: Bearer <personal base token>` and the `bitablePerm`
 *   extra, at most 2 requests per second per Base document through the
 *   service's shared limiter ({@linkcode documentBudget}; the download
 *   Worker asks the main thread for each slot), pausing that document's
 *   bucket on 429.
 *
 * @module
 */
import { DownloadError, downloadFile, type DownloadResult } from "../../lib/download/mod.ts";
import type { RateLimiter } from "../../lib/rate_limit/mod.ts";
import type { Clock } from "../../lib/time/mod.ts";
import type { Logger } from "../../lib/log/mod.ts";
import type { LinkItem } from "./protocol.ts";

/** Statuses after which a URL-mode link is replaced (upstream: 400/401/403/404/410). */
export const REFRESH_STATUSES = [400, 401, 403, 404, 410] as const;

/** Per-document budget of a personal base token (requests per second). */
export const TOKEN_QPS_PER_DOCUMENT = 2;

/** What both modes share. */
export interface FetchCommon {
  dest: string;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  signal: AbortSignal;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  onProgress: (bytes: number, total?: number) => void;
}

/** URL mode. */
export function fetchByUrl(
  first: string,
  refresh: () => Promise<string>,
  c: FetchCommon,
): Promise<DownloadResult> {
  return downloadFile({
    ...common(c),
    url: first,
    refreshUrl: () => refresh(),
    refreshStatuses: REFRESH_STATUSES,
    maxRefreshes: 3,
  });
}

/** The media download URL of token mode, with its `bitablePerm` extra. */
export function mediaDownloadUrl(baseApiUrl: string, tableId: string, item: LinkItem): string {
  const extra = {
    bitablePerm: { tableId, attachments: { [item.fieldId!]: { [item.recordId!]: [item.token!] } } },
  };
  return `${baseApiUrl.replace(/\/+$/, "")}/open-apis/drive/v1/medias/${encodeURIComponent(item.token!)}` +
    `/download?extra=${encodeURIComponent(JSON.stringify(extra))}`;
}

/** The request budget of one Base document for token mode: wait for a slot, pause after a 429. */
export interface DocumentBudget {
  /** Wait for the next request slot. */
  acquire(signal: AbortSignal): Promise<void>;
  /** The server throttled: no request for `ms`. */
  pause(ms: number): void;
}

/** The budget of document `appToken` in the process-wide `limiter` (2 per second). */
export function documentBudget(limiter: RateLimiter, appToken: string, clock: Clock): DocumentBudget {
  const bucket = `base-doc:${appToken}`;
  // 2 per second, spaced 550 ms: a little slack so network jitter never puts 3 in the server's 1 s window.
  if (!limiter.has(bucket)) limiter.define(bucket, { perSecond: TOKEN_QPS_PER_DOCUMENT, perMinute: 109 });
  return {
    acquire: async (signal) => void await limiter.acquire([bucket], signal),
    pause: (ms) => limiter.pause(bucket, clock.now() + ms),
  };
}

/** Token mode. */
export async function fetchByToken(
  o: {
    baseApiUrl: string;
    token: string;
    tableId: string;
    item: LinkItem;
    budget: DocumentBudget;
  },
  c: FetchCommon,
): Promise<DownloadResult> {
  try {
    return await downloadFile({
      ...common(c),
      url: mediaDownloadUrl(o.baseApiUrl, o.tableId, o.item),
      headers: { authorization: `Bearer ${o.token}` },
      refreshStatuses: [],
      // Throttled attempts are not the file's fault: allow more of them than URL mode.
      maxRetries: 6,
      beforeRequest: (signal) => o.budget.acquire(signal),
      onThrottled: (ms) => o.budget.pause(ms),
    });
  } catch (e) {
    throw tokenModeError(e);
  }
}

/** A short Chinese reason for a failed download, for acks and the UI. */
export function failureReason(e: unknown): string {
  if (e instanceof DownloadError) {
    const status = e.httpStatus ? `HTTP ${e.httpStatus}` : "";
    return [status, e.hint].filter(Boolean).join(" ");
  }
  return e instanceof Error ? e.message : String(e);
}

/** Whether a token-mode failure means the token itself is refused (the whole job cannot go on). */
export function isTokenRefused(e: unknown): boolean {
  return e instanceof TokenModeError && e.tokenRefused;
}

/** A token-mode failure, in the words of the upstream client. */
export class TokenModeError extends Error {
  /** The personal base token was refused. */
  readonly tokenRefused: boolean;
  constructor(message: string, tokenRefused: boolean, cause?: unknown) {
    super(message, { cause });
    this.tokenRefused = tokenRefused;
  }
}

function tokenModeError(e: unknown): unknown {
  if (!(e instanceof DownloadError)) return e;
  const text = `${e.message}`;
  if (e.httpStatus === 401 || /"code"\s*:\s*1011\b|personal token is invalid/i.test(text)) {
    return new TokenModeError(
      "授权码（Personal Base Token）无效或已失效，请在多维表格中重新生成后填写。",
      true,
      e,
    );
  }
  const byStatus: Record<number, string> = {
    400: "高级权限鉴权失败（bitablePerm 与附件不匹配）",
    403: "没有下载该附件的权限（授权码无权访问此多维表格）",
    404: "附件不存在或已被删除",
  };
  const known = e.httpStatus !== undefined ? byStatus[e.httpStatus] : undefined;
  if (known) return new TokenModeError(`${known}（HTTP ${e.httpStatus}）`, false, e);
  if (e.failure === "link_expired") return new TokenModeError(`服务器返回错误：${text}`, false, e);
  return e;
}

function common(c: FetchCommon) {
  return {
    dest: c.dest,
    connectTimeoutMs: c.connectTimeoutMs,
    stallTimeoutMs: c.readTimeoutMs > 0 ? c.readTimeoutMs : 2 ** 31 - 1,
    maxRetries: 3,
    retryDelayMs: 500,
    signal: c.signal,
    clock: c.clock,
    logger: c.logger,
    fetch: c.fetch,
    onProgress: (p: { bytes: number; total?: number }) => c.onProgress(p.bytes, p.total),
  };
}

/** A short machine kind of a failed download, for `downloads.ndjson`. */
export function failureKind(e: unknown): string {
  if (e instanceof TokenModeError) return e.tokenRefused ? "token_refused" : "token_mode";
  if (e instanceof DownloadError) return e.failure;
  if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
    return "not_permitted";
  }
  return "error";
}
