import { LarkError, type LarkErrorInit, type LarkErrorKind } from "../errors/lark_error.ts";

/** Why an incoming event request was refused. */
export type EventRejectReason =
  | "method"
  | "too_large"
  | "timeout"
  | "bad_json"
  | "missing_signature"
  | "bad_signature"
  | "stale_request"
  | "bad_token"
  | "decrypt_failed"
  | "bad_envelope"
  | "store_failed";

const STATUS: Record<EventRejectReason, number> = {
  method: 405,
  too_large: 413,
  timeout: 408,
  bad_json: 400,
  missing_signature: 401,
  bad_signature: 401,
  stale_request: 401,
  bad_token: 401,
  decrypt_failed: 400,
  bad_envelope: 400,
  store_failed: 500,
};

const HINTS: Record<EventRejectReason, string> = {
  method: "事件回调只接受 POST 请求。",
  too_large: "请求体超过上限（默认 1 MB），已拒绝。",
  timeout: "读取请求体超时，已拒绝。",
  bad_json: "请求体不是合法的 JSON。",
  missing_signature:
    "缺少 X-Lark-Signature 等签名头：配置了 Encrypt Key 时飞书会签名每个事件，请确认请求来自飞书。",
  bad_signature:
    "签名校验失败：请核对配置中的 Encrypt Key（APP_ENCRYPT_KEY）与开发者后台「事件与回调 → 加密策略」一致。",
  stale_request:
    "签名请求已过期或重复：X-Lark-Request-Timestamp 缺失或与本机时间相差超过 5 分钟，或 X-Lark-Request-Nonce 已用过（疑似重放）。请确认本机时间准确（NTP）。",
  bad_token: "Verification Token 不匹配：请核对配置中的 APP_VERIFICATION_TOKEN 与开发者后台一致。",
  decrypt_failed: "事件解密失败：请核对 Encrypt Key（APP_ENCRYPT_KEY）是否与开发者后台一致。",
  bad_envelope: "事件结构无法识别（既不是 2.0 事件，也不是 1.0 事件或 URL 校验请求）。",
  store_failed: "事件写入本地存储失败，飞书稍后会重试推送；请检查磁盘空间与数据库文件权限。",
};

/**
 * An incoming event (webhook or long connection) was refused. Carries the
 * HTTP status to answer with and a Chinese hint; never the request body.
 */
export class EventRejectedError extends LarkError {
  /** `bad_request`, or `server`/`network`/… depending on the failure. */
  override readonly kind: LarkErrorKind;
  /** Why the request was refused. */
  readonly reason: EventRejectReason;
  /** HTTP status the webhook answers with. */
  readonly status: number;

  /** Create the error; the hint defaults to the reason's Chinese explanation. */
  constructor(reason: EventRejectReason, message: string, init: LarkErrorInit = {}) {
    super(message, { retryable: reason === "store_failed", hint: HINTS[reason], ...init });
    this.reason = reason;
    this.status = STATUS[reason];
    this.kind = reason === "store_failed" ? "server" : "bad_request";
  }
}
