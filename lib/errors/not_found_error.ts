import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";

/** The requested resource does not exist (for example contract code 110107). */
export class NotFoundError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "not_found";
  /** Create the error; see {@linkcode LarkErrorInit}. */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, { retryable: false, ...init });
  }
}
