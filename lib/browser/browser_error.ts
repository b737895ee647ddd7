import { LarkError, type LarkErrorInit, type LarkErrorKind } from "../errors/lark_error.ts";

/**
 * Why driving the browser failed:
 * - `chromium_missing`: no executable at the configured path;
 * - `profile_in_use`: another Chromium holds the profile directory;
 * - `launch_failed`: Chromium started but could not be driven;
 * - `navigation_failed`: a page did not load;
 * - `element_missing`: an expected element never appeared (page changed? override the selector);
 * - `login_timeout`: nobody scanned the QR code in time;
 * - `download_failed`: a download was cancelled, failed or did not start;
 * - `timeout`: some other wait ran out.
 */
export type BrowserErrorReason =
  | "chromium_missing"
  | "profile_in_use"
  | "launch_failed"
  | "navigation_failed"
  | "element_missing"
  | "login_timeout"
  | "download_failed"
  | "timeout";

const KINDS: Record<BrowserErrorReason, LarkErrorKind> = {
  chromium_missing: "config",
  profile_in_use: "config",
  launch_failed: "unknown",
  navigation_failed: "network",
  element_missing: "unknown",
  login_timeout: "session",
  download_failed: "network",
  timeout: "network",
};

const RETRYABLE: ReadonlySet<BrowserErrorReason> = new Set([
  "navigation_failed",
  "download_failed",
  "timeout",
]);

/**
 * A failure while driving Chromium, with a Chinese hint (shown by
 * `reportError`, like every {@linkcode LarkError}).
 */
export class BrowserError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind;
  /** What went wrong. */
  readonly reason: BrowserErrorReason;

  /** Create the error; `init.hint` should say what to do, in Chinese. */
  constructor(reason: BrowserErrorReason, message: string, init: LarkErrorInit = {}) {
    super(message, { retryable: RETRYABLE.has(reason), ...init });
    this.reason = reason;
    this.kind = KINDS[reason];
  }
}
