import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";

/** Fields of a {@linkcode NetworkError}. */
export interface NetworkErrorInit extends LarkErrorInit {
  /** True when the call timed out rather than failing to connect. */
  timeout?: boolean;
}

/** Connection refused, reset, DNS failure or timeout. Retried with backoff. */
export class NetworkError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "network";
  /** The call timed out. */
  readonly timeout: boolean;
  /** Create the error. */
  constructor(message: string, init: NetworkErrorInit = {}) {
    super(message, { retryable: true, ...init });
    this.timeout = init.timeout ?? false;
  }
}
