/**
 * Bearer checks of the meeting family: tenant tokens (`t-…`, the core's
 * store) and user access tokens (`eyJ…`, this family's store). Codes
 * (HTTP 400 like the core's gateway errors; open.feishu.cn/document/ukTMukTMukTM/ugjM14COyUjL4ITN):
 * - header missing/malformed → 99991661;
 * - user token unknown, revoked or rotated away → 99991668; expired → 99991677
 *   (HTTP 400 is an assumption for 99991677);
 * - user token on a tenant-only API → 99991668 "user access token not support";
 * - tenant token unknown/expired/revoked, or on a user-only API → 99991663.
 *
 * @module
 */
import type { SandboxContext } from "../_env.ts";
import { MSG_INVALID_TOKEN, MSG_MISSING_TOKEN, openApiError } from "../_respond.ts";
import type { SandboxUser } from "../contact/directory.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import type { UserTokenRecord } from "./user_tokens.ts";
import { type FieldGrants, fieldGrants, userFieldGrants } from "./scopes.ts";

/** Who is calling. */
export type Caller =
  | { kind: "tenant"; appId: string }
  | { kind: "user"; appId: string; user: SandboxUser; token: UserTokenRecord };

/** Which tokens an endpoint accepts. */
export interface AcceptedTokens {
  /** Tenant access tokens. */
  tenant: boolean;
  /** User access tokens. */
  user: boolean;
}

/** Message of 99991677 (assumption: wording). */
export const MSG_USER_TOKEN_EXPIRED = "Authentication token expired. Please refresh the user access token.";
/** Message of 99991668 when the API does not take user tokens (open.feishu.cn/document/ukTMukTMukTM/ugjM14COyUjL4ITN). */
export const MSG_USER_TOKEN_NOT_SUPPORTED = "user access token not support";

/** Check the Bearer token; the caller, or the refusing `Response`. */
export function requireCaller(
  c: SandboxContext,
  family: MeetingFamily,
  accepted: AcceptedTokens,
): Caller | Response {
  const clock = family.state.clock;
  const match = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "");
  if (!match) return openApiError(c, clock, 400, 99991661, MSG_MISSING_TOKEN);
  const token = match[1];
  const entry = c.get("entry");
  if (token.startsWith("eyJ") || token.startsWith("u-")) {
    const checked = family.userTokens.checkAccess(token);
    if (!checked.ok) {
      if (checked.reason === "expired") return openApiError(c, clock, 400, 99991677, MSG_USER_TOKEN_EXPIRED);
      return openApiError(c, clock, 400, 99991668, MSG_INVALID_TOKEN);
    }
    if (!accepted.user) return openApiError(c, clock, 400, 99991668, MSG_USER_TOKEN_NOT_SUPPORTED);
    const user = family.directory.user(checked.record.openId, "open_id");
    if (!user) return openApiError(c, clock, 400, 99991668, MSG_INVALID_TOKEN);
    if (entry) entry.appId = checked.record.appId;
    return { kind: "user", appId: checked.record.appId, user, token: checked.record };
  }
  const check = family.state.tokens.check(token, "tenant");
  if (!check.ok || !accepted.tenant) return openApiError(c, clock, 400, 99991663, MSG_INVALID_TOKEN);
  if (entry) entry.appId = check.record.appId;
  return { kind: "tenant", appId: check.record.appId };
}

/** The user fields `caller` may see: the app's scopes for a tenant token, the granted ones for a user token. */
export function callerFieldGrants(family: MeetingFamily, caller: Caller): FieldGrants {
  const app = family.state.appScopes;
  return caller.kind === "user" ? userFieldGrants(caller.token.scope, app) : fieldGrants(app);
}
