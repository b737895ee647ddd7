import { LarkError, type LarkErrorInit, type LarkErrorKind } from "./lark_error.ts";

/** Wrong or missing configuration (app id/secret, config file keys, paths). Never retried. */
export class ConfigError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "config";
  /** Create the error; see {@linkcode LarkErrorInit}. */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, { retryable: false, ...init });
  }
}
