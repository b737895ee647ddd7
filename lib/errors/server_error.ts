import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";

/** Feishu answered 5xx or an internal-error code. Retried with backoff. */
export class ServerError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "server";
  /** Create the error; see {@linkcode LarkErrorInit}. */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, { retryable: true, ...init });
  }
}
