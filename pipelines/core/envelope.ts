import { LarkError } from "../../lib/errors/lark_error.ts";

/**
 * The one answer shape of the core service:
 * `{code, request_id, data, error}` — `code` 0 and `error` null on success;
 * on failure `code` is Feishu's numeric code when one is known, else a stable
 * name (`unauthorized`, `not_found`, `bad_request`, `degraded`, `internal`),
 * and `error` says `{kind, message, log_id, fix}` (fix in Chinese).
 */
export interface Envelope<T = unknown> {
  /** 0, a Feishu code, or an error name. */
  code: number | string;
  /** This request's id (also the `x-request-id` header). */
  request_id: string;
  /** The result (null on failure). */
  data: T | null;
  /** What went wrong (null on success). */
  error: EnvelopeError | null;
}

/** The `error` member of an {@linkcode Envelope}. */
export interface EnvelopeError {
  /** Error family (`auth`, `rate_limit`, `bad_request`, `degraded`…). */
  kind: string;
  /** What happened (English, for logs). */
  message: string;
  /** Feishu's `X-Tt-Logid`, when Feishu answered. */
  log_id?: string;
  /** How to fix it (Chinese). */
  fix: string;
}

const HEADERS = { "content-type": "application/json; charset=utf-8" };

/** A success answer. */
export function okResponse<T>(requestId: string, data: T, status = 200): Response {
  const body: Envelope<T> = { code: 0, request_id: requestId, data, error: null };
  return new Response(JSON.stringify(body), { status, headers: { ...HEADERS, "x-request-id": requestId } });
}

/** A failure answer. */
export function errorResponse(
  requestId: string,
  status: number,
  code: number | string,
  error: EnvelopeError,
  extraHeaders: Record<string, string> = {},
): Response {
  const body: Envelope = { code, request_id: requestId, data: null, error };
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...HEADERS, "x-request-id": requestId, ...extraHeaders },
  });
}

/** A failure answer for any thrown value (LarkErrors keep their code, log id and hint). */
export function errorResponseOf(requestId: string, e: unknown): Response {
  if (e instanceof LarkError) {
    const status = e.kind === "bad_request"
      ? 400
      : e.kind === "not_found"
      ? 404
      : e.kind === "auth" || e.kind === "permission"
      ? 403
      : e.kind === "rate_limit"
      ? 429
      : e.kind === "config"
      ? 409
      : 502;
    return errorResponse(requestId, status, e.code ?? e.kind, {
      kind: e.kind,
      message: e.message,
      log_id: e.logId,
      fix: e.hint,
    });
  }
  return errorResponse(requestId, 500, "internal", {
    kind: "internal",
    message: e instanceof Error ? e.message : String(e),
    fix: "服务内部错误，请查看服务日志（按 request_id 检索）。",
  });
}
