import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";

/** Which token an {@linkcode AuthError} is about. */
export type TokenKind = "tenant" | "app" | "user" | "refresh";

/** Fields of an {@linkcode AuthError}. */
export interface AuthErrorInit extends LarkErrorInit {
  /** The token that was refused. */
  tokenKind?: TokenKind;
  /**
   * True when the token itself is invalid or expired, so dropping the cached
   * token and fetching a new one can help (retried once).
   */
  tokenInvalid?: boolean;
}

/** A token was refused (invalid, expired, revoked), or a user must re-authorize. */
export class AuthError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "auth";
  /** Which token was refused, when known. */
  readonly tokenKind?: TokenKind;
  /** Refreshing the token may help. */
  readonly tokenInvalid: boolean;
  /** Create the error. */
  constructor(message: string, init: AuthErrorInit = {}) {
    super(message, { retryable: false, ...init });
    this.tokenKind = init.tokenKind;
    this.tokenInvalid = init.tokenInvalid ?? false;
  }
}
