import type { TokenRecordKind } from "./token_store.ts";

/** Which token a call is about. */
export interface TokenRef {
  /** Token kind. */
  kind: TokenRecordKind;
  /** App id (`cli_…`). */
  appId: string;
  /** User id (required for `kind: "user"`). */
  userId?: string;
}

/**
 * The store key of a token: `tenant:<appId>`, `app:<appId>` or
 * `user:<appId>:<userId>`. Keys never contain secrets, so they may be logged.
 */
export function tokenKey(ref: TokenRef): string {
  if (ref.kind === "user") {
    if (!ref.userId) throw new TypeError("user token key needs a userId");
    return `user:${ref.appId}:${ref.userId}`;
  }
  return `${ref.kind}:${ref.appId}`;
}
