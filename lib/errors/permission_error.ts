import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";

/** The app or user lacks a scope, or is not allowed to see the resource. Never retried. */
export class PermissionError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "permission";
  /** Create the error; see {@linkcode LarkErrorInit}. */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, { retryable: false, ...init });
  }
}
