import { AuthError } from "../../lib/errors/auth_error.ts";
import { LarkError } from "../../lib/errors/lark_error.ts";
import type { UserAuthStatus } from "../../lib/token/user_token_info.ts";

/** What the worker does about an error thrown by a step. */
export type ErrorAction = "auth" | "not_ready" | "retry" | "fatal";

/** Feishu codes meaning "the recording (or minute) is not there yet". */
const NOT_READY = new Set([124002, 121004, 2091003]);

/** Feishu codes meaning "the user must authorize (again)", besides `AuthError`s about user tokens. */
const USER_CONSENT = new Set([99991679, 20037, 20064, 20073, 20026, 99991669]);

/** Classify an error of a step. */
export function classifyError(e: unknown): ErrorAction {
  if (
    e instanceof AuthError &&
    (e.tokenKind === undefined || e.tokenKind === "user" || e.tokenKind === "refresh")
  ) {
    return "auth";
  }
  if (e instanceof LarkError) {
    if (e.code !== undefined && USER_CONSENT.has(e.code)) return "auth";
    // Not there yet (recording generating, minute still transcribing): wait on the ladder.
    if (e.code !== undefined && NOT_READY.has(e.code)) return "not_ready";
    return e.retryable ? "retry" : "fatal";
  }
  // File system hiccups, unexpected bodies…: try again a bounded number of times.
  return "retry";
}

/** Chinese text of an error for the job's reason / the status page. */
export function errorText(e: unknown): string {
  if (e instanceof LarkError) return e.userMessage();
  return e instanceof Error ? e.message : String(e);
}

/** Chinese reason for a user who cannot be acted for. */
export function authReason(status: UserAuthStatus): string {
  switch (status) {
    case "not_authorized":
      return "尚未授权归档会议录制：请点击卡片中的「授权开启」完成授权，授权后将自动补传。";
    case "expired":
      return "授权已过期：请点击卡片中的「授权开启」重新授权，授权后将自动补传。";
    case "set_aside":
      return "授权已失效（已撤销或刷新失败）：请点击卡片中的「授权开启」重新授权，授权后将自动补传。";
    default:
      return "";
  }
}
