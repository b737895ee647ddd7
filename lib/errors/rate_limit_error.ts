import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";

/** Fields of a {@linkcode RateLimitError}. */
export interface RateLimitErrorInit extends LarkErrorInit {
  /** How long Feishu asked us to wait (`x-ogw-ratelimit-reset`), in ms. */
  retryAfterMs?: number;
}

/** Feishu throttled the call (HTTP 429 or code 99991400 and friends). Retried after the reset time. */
export class RateLimitError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "rate_limit";
  /** Wait asked for by Feishu, in ms, when given. */
  readonly retryAfterMs?: number;
  /** Create the error. */
  constructor(message: string, init: RateLimitErrorInit = {}) {
    super(message, { retryable: true, ...init });
    this.retryAfterMs = init.retryAfterMs;
  }
}
