/** What kind of failure a {@linkcode LarkError} is; stable for logs and statuses. */
export type LarkErrorKind =
  | "config"
  | "auth"
  | "permission"
  | "rate_limit"
  | "not_found"
  | "bad_request"
  | "network"
  | "server"
  | "session"
  | "unknown";

/** Fields shared by every {@linkcode LarkError}. */
export interface LarkErrorInit {
  /** Feishu business code from the JSON envelope, when there was one. */
  code?: number;
  /** HTTP status of the response, when there was one. */
  httpStatus?: number;
  /** Feishu's `X-Tt-Logid` (quote it to Feishu support). */
  logId?: string;
  /** Our own request id for the call. */
  requestId?: string;
  /** Whether trying the same call again can succeed. */
  retryable?: boolean;
  /** A Chinese sentence telling the user what to fix. */
  hint?: string;
  /** Endpoint path or bucket name the call was made to. */
  endpoint?: string;
  /** Underlying cause. */
  cause?: unknown;
}

/**
 * Base class of every expected failure in feishu-kit. It keeps Feishu's raw
 * code and log id, says whether a retry can help, and carries a Chinese hint
 * for the user. Callers show {@linkcode LarkError.userMessage}, never a stack.
 */
export class LarkError extends Error {
  /** Failure category. */
  readonly kind: LarkErrorKind = "unknown";
  /** Feishu business code, if any. */
  readonly code?: number;
  /** HTTP status, if any. */
  readonly httpStatus?: number;
  /** Feishu `X-Tt-Logid`, if any. */
  readonly logId?: string;
  /** Our request id. */
  requestId?: string;
  /** True when the same call may succeed if tried again. */
  readonly retryable: boolean;
  /** Chinese hint: what the user should do. */
  readonly hint: string;
  /** Endpoint the error came from. */
  readonly endpoint?: string;

  /** Create an error; `message` is the technical message (Feishu's `msg`). */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.logId = init.logId;
    this.requestId = init.requestId;
    this.retryable = init.retryable ?? false;
    this.hint = init.hint ?? "请查看日志中的 log_id 并联系管理员。";
    this.endpoint = init.endpoint;
  }

  /** One-line Chinese message for the console: hint, code, message and log id. */
  userMessage(): string {
    const parts = [this.hint];
    const facts: string[] = [];
    if (this.code !== undefined) facts.push(`错误码 ${this.code}`);
    if (this.httpStatus !== undefined) facts.push(`HTTP ${this.httpStatus}`);
    if (this.message) facts.push(this.message);
    if (this.logId) facts.push(`log_id ${this.logId}`);
    if (facts.length) parts.push(`（${facts.join("，")}）`);
    return parts.join("");
  }

  /** Plain fields for NDJSON logs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      code: this.code,
      http_status: this.httpStatus,
      log_id: this.logId,
      request_id: this.requestId,
      retryable: this.retryable,
      endpoint: this.endpoint,
      message: this.message,
    };
  }
}
