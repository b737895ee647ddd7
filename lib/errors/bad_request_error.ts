import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";

/** A parameter is wrong. Never retried. */
export class BadRequestError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "bad_request";
  /** Create the error; see {@linkcode LarkErrorInit}. */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, { retryable: false, ...init });
  }
}
