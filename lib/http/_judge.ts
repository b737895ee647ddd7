import { AuthError } from "../errors/auth_error.ts";
import { errorFromResponse } from "../errors/error_codes.ts";
import { LarkError } from "../errors/lark_error.ts";
import { SessionError } from "../errors/session_error.ts";
import { parseRetryAfter } from "../retry/retry_after.ts";
import { looksLikeHtml, numberOrUndefined } from "./_parse.ts";

/** The outcome of one response: the envelope's data, or the typed error it means. */
export interface Judgement<T> {
  /** `body.data` (or the whole body for flat envelopes) on success. */
  data?: T;
  /** The parsed body (`{}` when it was not JSON). */
  body: Record<string, unknown>;
  /** Feishu's business code, if any. */
  code?: number;
  /** The failure, if it failed. */
  error?: LarkError;
}

/**
 * Decide what a response means: success only on `code === 0` with a non-error
 * status; a refused web session (cookie auth) as `SessionError`; everything
 * else classified by code, then HTTP status, with the reset time of a throttle.
 */
export function judgeResponse<T>(
  req: { bucket?: string; path: string; envelope?: "data" | "flat" },
  res: Response,
  parsed: { json?: unknown; text?: string },
  requestId: string,
  logId: string | undefined,
  sentHeaders: Record<string, string>,
  session: boolean,
  now: number,
): Judgement<T> {
  const endpoint = req.bucket ?? req.path;
  const body = (parsed.json && typeof parsed.json === "object" ? parsed.json : {}) as Record<
    string,
    unknown
  >;
  const resetSeconds = (() => {
    const ms = parseRetryAfter(res.headers, now);
    return ms === undefined ? undefined : ms / 1000;
  })();
  if (session && sessionRefused(res, parsed)) {
    return {
      body,
      error: new SessionError(`session refused (HTTP ${res.status})`, {
        httpStatus: res.status,
        requestId,
        logId,
        endpoint,
        hint:
          "飞书合同网页登录已失效：请在浏览器重新登录 contract.feishu.cn，重新「复制为 cURL」或更新配置中的 cookie 后再运行。",
      }),
    };
  }
  if (parsed.json === undefined) {
    if (res.status === 429 || res.status >= 500) {
      // A gateway's plain-text 429 still carries x-ogw-ratelimit-reset / Retry-After.
      const error = errorFromResponse({ httpStatus: res.status, requestId, logId, endpoint, resetSeconds });
      return { body, error };
    }
    return {
      body,
      error: new LarkError(`unexpected non-JSON response (HTTP ${res.status})`, {
        httpStatus: res.status,
        requestId,
        logId,
        endpoint,
        hint: "服务返回了非 JSON 内容：请检查 base_url 配置是否指向飞书开放平台。",
      }),
    };
  }
  const code = numberOrUndefined(body.code);
  if (code === 0 && res.status < 400) {
    return { data: (req.envelope === "flat" ? body : body.data) as T, body, code };
  }
  const err = body.error as Record<string, unknown> | undefined;
  const error = errorFromResponse({
    code,
    httpStatus: res.status,
    msg: String(body.msg ?? body.message ?? body.error_description ?? body.error ?? `HTTP ${res.status}`),
    logId: logId ?? (err?.log_id as string | undefined) ?? (err?.logid as string | undefined),
    requestId,
    endpoint,
    resetSeconds,
  });
  if (error instanceof AuthError) {
    (error as AuthError & { sentHeaders?: unknown }).sentHeaders = sentHeaders;
  }
  return { body, code, error };
}

/** A web session is refused when the server answers 401/403, redirects to a login page or serves HTML. */
function sessionRefused(res: Response, parsed: { json?: unknown; text?: string }): boolean {
  if (res.status === 401 || res.status === 403) return true;
  if (res.status >= 300 && res.status < 400) return true;
  return parsed.json === undefined && looksLikeHtml(res, parsed.text);
}
