/**
 * The NDJSON records {@linkcode LarkHttp} writes: one `http` line per attempt, one `retry` line
 * per retry and one `retry.outcome` line at the end of a retried call.
 *
 * @module
 */
import { LarkError } from "../errors/lark_error.ts";
import type { Logger } from "../log/logger.ts";
import { maskParams } from "../log/mask.ts";
import type { LarkRequest } from "./lark_request.ts";

/** What one attempt came to. */
export interface AttemptOutcome {
  /** 1 for the first attempt (left out where the caller does not count attempts). */
  attempt?: number;
  /** HTTP status. */
  status: number;
  /** Feishu `code` (0 = success; undefined for a body without one). */
  code: number | undefined;
  /** Feishu `X-Tt-Logid`. */
  logId: string | undefined;
  /** Time of this attempt (send until the body is read), ms. */
  durationMs: number;
  /** Time waited for rate-limit slots so far, ms. */
  waitMs: number;
}

/** The endpoint name logs use: the request's bucket, or its path. */
export function endpointOf(req: LarkRequest): string {
  return req.bucket ?? req.path;
}

/** The request's query and body, masked for the log (absent parts left out). */
export function loggedParams(req: LarkRequest): Record<string, unknown> | undefined {
  const query = req.query && Object.keys(req.query).length ? maskParams(req.query) : undefined;
  const body = req.body !== undefined ? maskParams(req.body) : undefined;
  if (query === undefined && body === undefined) return undefined;
  return { ...(query !== undefined ? { query } : {}), ...(body !== undefined ? { body } : {}) };
}

/**
 * One `http` line: `request_id`, `endpoint`, `method`, `path`, masked `params`, `status`, `code`,
 * `duration_ms`, `attempt`, `log_id`, `rate_limit_wait_ms` and the request's ids. A failed attempt
 * is logged at info; a successful one at info when `successAtInfo`, else at debug.
 */
export function logAttempt(
  log: Logger,
  req: LarkRequest,
  requestId: string,
  out: AttemptOutcome,
  successAtInfo: boolean,
): void {
  const fields = {
    request_id: requestId,
    log_id: out.logId,
    step: req.step,
    endpoint: endpointOf(req),
    method: req.method ?? "GET",
    path: req.path,
    params: loggedParams(req),
    status: out.status,
    code: out.code,
    attempt: out.attempt,
    duration_ms: out.durationMs,
    rate_limit_wait_ms: out.waitMs,
    ...req.ids,
  };
  if (out.code === 0 && !successAtInfo) log.debug("http", fields);
  else log.info("http", fields);
}

/** One `retry` line: `attempt`, `reason`, `wait_ms`, `outcome: "retrying"` and the error's fields. */
export function logRetry(
  log: Logger,
  req: LarkRequest,
  requestId: string,
  r: { attempt: number; delayMs: number; error: unknown },
): void {
  const { attempt, delayMs, error } = r;
  log.warn("retry", {
    request_id: requestId,
    step: req.step,
    endpoint: endpointOf(req),
    attempt,
    reason: error instanceof LarkError ? error.kind : "error",
    wait_ms: delayMs,
    delay_ms: delayMs,
    outcome: "retrying",
    ...(error instanceof LarkError ? error.toJSON() : { message: String(error) }),
    ...req.ids,
  });
}

/** The end of a retried call: one `retry.outcome` line (attempts, outcome). */
export function logRetryOutcome(
  log: Logger,
  req: LarkRequest,
  requestId: string,
  attempts: number | undefined,
  outcome: "succeeded" | "failed",
  error?: unknown,
): void {
  log[outcome === "failed" ? "warn" : "info"]("retry.outcome", {
    request_id: requestId,
    endpoint: endpointOf(req),
    attempts,
    outcome,
    ...(error instanceof LarkError ? { code: error.code, log_id: error.logId } : {}),
  });
}
