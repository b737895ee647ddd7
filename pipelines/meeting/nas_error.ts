import { LarkError, type LarkErrorInit, type LarkErrorKind } from "../../lib/errors/lark_error.ts";

/** Why a {@linkcode NasError} was raised. */
export type NasErrorReason =
  | "root_missing"
  | "not_a_directory"
  | "not_writable"
  | "no_space"
  | "size_mismatch";

/** Fields of a {@linkcode NasError}. */
export interface NasErrorInit extends LarkErrorInit {
  /** What went wrong. */
  reason: NasErrorReason;
  /** The path concerned. */
  path: string;
}

/**
 * The NAS cannot take the file: the root is missing or read-only, the disk is
 * full, or a copy came out the wrong size. Not retried automatically: an
 * administrator must act (the hint says what to do).
 */
export class NasError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "config";
  /** What went wrong. */
  readonly reason: NasErrorReason;
  /** The path concerned. */
  readonly path: string;

  /** Create the error. */
  constructor(message: string, init: NasErrorInit) {
    super(message, { retryable: false, ...init });
    this.reason = init.reason;
    this.path = init.path;
  }
}
