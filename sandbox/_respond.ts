/**
 * Response builders shared by the route modules: JSON bodies with Feishu's
 * `X-Tt-Logid` header, the Open Platform and CLM error envelopes, throttling
 * and dropped connections.
 *
 * Error codes, HTTP statuses and messages, with sources:
 * - 99991661 / 99991663 / 99991668 + HTTP 400, messages "Missing/Invalid access
 *   token for authorization…", body `error.{log_id, troubleshooter}`: public
 *   no-credential live-probe log of open.feishu.cn (code index file 65986057441,
 *   2026-09-11, probes P06–P10); codes also in open.feishu.cn/document/ukTMukTMukTM/ugjM14COyUjL4ITN.
 * - 99991400 + HTTP 429 + `x-ogw-ratelimit-limit/reset`: open.feishu.cn/document/ukTMukTMukTM/uUzN04SN3QjL1cDN.
 * - 2200 "Internal Error": open.feishu.cn/document/ukTMukTMukTM/ugjM14COyUjL4ITN (internal error) and
 *   ConnectAI-E/feishu-openai#21 (observed from the token endpoint); HTTP 500 is an assumption.
 * - Unknown path or wrong method → HTTP 404 `text/plain` "404 page not found": probe log P03/P20.
 * - CLM bodies (`{code, message, data}`), its logged-out answer, throttling and
 *   internal-error bodies: ASSUMPTIONS (undocumented web endpoints; see clm/shapes.ts).
 *
 * @module
 */
import { CLM_ERRORS } from "./clm/shapes.ts";
import type { Clock } from "../lib/time/mod.ts";
import { randomHex } from "../lib/encoding/hex.ts";
import type { SandboxContext } from "./_env.ts";
import type { EndpointFamily } from "./endpoints.ts";

/** Message of 99991661 (no/unsupported Authorization header). */
export const MSG_MISSING_TOKEN =
  "Missing access token for authorization. Please make a request with token attached.";
/** Message of 99991663 / 99991668 (token not valid). */
export const MSG_INVALID_TOKEN =
  "Invalid access token for authorization. Please make a request with token attached.";
/** Message of 99991400. */
export const MSG_RATE_LIMITED = "request trigger frequency limit";

/** Default HTTP 429 quota header when an injected 429 has no configured limit behind it. */
const DEFAULT_LIMIT_HEADER = 50;

/** Error thrown by the body stream of a dropped answer; `listen()` swallows it quietly. */
export class SandboxDropError extends Error {
  /** Create the marker error. */
  constructor() {
    super("sandbox: connection dropped on purpose");
    this.name = "SandboxDropError";
  }
}

/** A Feishu-like log id: `yyyyMMddHHmmss` + 20 uppercase hex digits. */
export function newLogId(clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return stamp + randomHex(20).toUpperCase();
}

/** Answer `body` as JSON with `X-Tt-Logid`, and note its `code` in the journal entry. */
export function sendJson(
  c: SandboxContext,
  clock: Clock,
  body: Record<string, unknown>,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  const entry = c.get("entry");
  if (entry && typeof body.code === "number") entry.code = body.code;
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-tt-logid": newLogId(clock),
      ...headers,
    },
  });
}

/** Open Platform error: `{code, msg, error:{log_id, troubleshooter, field_violations?}}`. */
export function openApiError(
  c: SandboxContext,
  clock: Clock,
  status: number,
  code: number,
  msg: string,
  fieldViolations?: { field: string; description: string }[],
): Response {
  const logId = newLogId(clock);
  const error: Record<string, unknown> = {
    log_id: logId,
    troubleshooter:
      `排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=${code}`,
  };
  if (fieldViolations) error.field_violations = fieldViolations;
  return sendJson(c, clock, { code, msg, error }, status, { "x-tt-logid": logId });
}

/** HTTP 429 in the family's shape, with `x-ogw-ratelimit-limit` / `x-ogw-ratelimit-reset`. */
export function throttled(
  c: SandboxContext,
  clock: Clock,
  family: EndpointFamily,
  limit: number | undefined,
  resetSec: number,
): Response {
  const entry = c.get("entry");
  if (entry) entry.throttled = true;
  const headers = {
    "x-ogw-ratelimit-limit": String(limit ?? DEFAULT_LIMIT_HEADER),
    "x-ogw-ratelimit-reset": String(Math.max(1, Math.ceil(resetSec))),
  };
  if (family === "clm") {
    // UNCONFIRMED: the CLM web app's throttling shape is unknown (clm/shapes.ts); also send Retry-After.
    const answer = CLM_ERRORS.throttled();
    return sendJson(c, clock, answer.body, answer.status, {
      ...headers,
      "retry-after": headers["x-ogw-ratelimit-reset"],
    });
  }
  return sendJson(c, clock, { code: 99991400, msg: MSG_RATE_LIMITED }, 429, headers);
}

/**
 * Internal error in the family's shape (default code 2200 for Open Platform,
 * 20050/20072 for v2 OAuth by status, 500 for CLM).
 */
export function internalError(
  c: SandboxContext,
  clock: Clock,
  family: EndpointFamily,
  status: number,
  code?: number,
): Response {
  if (family === "clm") {
    const answer = CLM_ERRORS.internal(status, code);
    return sendJson(c, clock, answer.body, answer.status);
  }
  if (family === "token") return sendJson(c, clock, { code: code ?? 2200, msg: "Internal Error" }, status);
  if (family === "oauth") {
    // v2 OAuth: 20072 "temporarily unavailable" [503], otherwise 20050 "server error" [500].
    const unavailable = status === 503;
    return sendJson(c, clock, {
      code: code ?? (unavailable ? 20072 : 20050),
      error: unavailable ? "temporarily_unavailable" : "server_error",
      error_description: unavailable ? "服务暂时不可用，请稍后重试" : "服务端错误，请稍后重试",
    }, status);
  }
  return openApiError(c, clock, status, code ?? 2200, "Internal Error");
}

/**
 * A dropped connection. A `Deno.serve` handler cannot close the socket
 * before the status line, so the head (HTTP 200, JSON content type) goes out
 * and the body stream then errors: the connection is reset before any body
 * byte and the client's body read fails ("error reading a body from
 * connection"). In-process (`app.fetch`) the body stream simply errors.
 */
export function droppedResponse(c: SandboxContext): Response {
  const entry = c.get("entry");
  if (entry) entry.fault ??= "drop";
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new SandboxDropError());
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
}

/** Feishu's gateway answer for an unknown path or wrong method (probe P03/P20). */
export function plainNotFound(): Response {
  return new Response("404 page not found", { status: 404, headers: { "content-type": "text/plain" } });
}
