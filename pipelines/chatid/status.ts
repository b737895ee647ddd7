import { LarkError } from "../../lib/errors/lark_error.ts";

/** The outcome of one contract. */
export type ChatIdStatus =
  | "SUCCESS"
  | "NOT_FOUND_CONTRACT"
  | "NO_COOPERATION"
  | "NO_CHAT_GROUP"
  | "AUTH_FAILED"
  | "PERMISSION_DENIED"
  | "RETRY_EXCEEDED"
  | "UNKNOWN_ERROR";

/** Every status, in report order. */
export const STATUSES: readonly ChatIdStatus[] = [
  "SUCCESS",
  "NOT_FOUND_CONTRACT",
  "NO_COOPERATION",
  "NO_CHAT_GROUP",
  "AUTH_FAILED",
  "PERMISSION_DENIED",
  "RETRY_EXCEEDED",
  "UNKNOWN_ERROR",
];

/** Map a failure to a status. */
export function statusOfError(e: unknown): ChatIdStatus {
  if (!(e instanceof LarkError)) return "UNKNOWN_ERROR";
  switch (e.kind) {
    case "not_found":
      return "NOT_FOUND_CONTRACT";
    case "auth":
    case "session":
    case "config":
      return "AUTH_FAILED";
    case "permission":
      return "PERMISSION_DENIED";
    case "rate_limit":
    case "network":
    case "server":
      return "RETRY_EXCEEDED";
    default:
      return "UNKNOWN_ERROR";
  }
}

/** Failures that concern every contract (credentials): the run stops instead of failing each row. */
export function isFatal(e: unknown): boolean {
  return e instanceof LarkError && (e.kind === "auth" || e.kind === "session" || e.kind === "config");
}
