import { LarkError, type LarkErrorInit, type LarkErrorKind } from "../errors/lark_error.ts";

/** An aPaaS call (AI capability, flow wait) took longer than allowed; the request was aborted. */
export class ApaasTimeoutError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "network";
  /** The time allowed, ms. */
  readonly timeoutMs: number;
  /** Create the error for a call that exceeded `timeoutMs`. */
  constructor(message: string, timeoutMs: number, init: LarkErrorInit = {}) {
    super(message, {
      retryable: false,
      hint: `调用在 ${
        Math.round(timeoutMs / 1000)
      } 秒内未完成，已取消请求：可调大 timeoutMs、缩短输入或稍后重试。`,
      ...init,
    });
    this.timeoutMs = timeoutMs;
  }
}
