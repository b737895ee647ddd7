import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";

/** A browser session cookie (contract.feishu.cn) is missing, expired or refused. Never retried: the user must refresh the cookie. */
export class SessionError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "session";
  /** Create the error; see {@linkcode LarkErrorInit}. */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, { retryable: false, ...init });
  }
}
