/**
 * `POST /open-apis/contact/v3/users/batch_get_id?user_id_type=` (tenant token
 * only; open.feishu.cn/document/server-docs/contact-v3/user/batch_get_id):
 * `{emails[] (≤ 50), mobiles[] (≤ 50), include_resigned?}` →
 * `data.user_list[]{user_id?, email | mobile, status}`, one entry per input, no
 * `user_id` when nobody matches. A user token is refused (99991668). Too many or
 * no addresses → 99992402 [400] with the field named.
 *
 * `open_id` is per app in Feishu: the first sandbox app sees the directory's
 * open ids, every other app a stable id derived from (app, union id), so that
 * the same person has one `union_id` and a different `open_id` per app.
 *
 * @module
 */
import { jsonObject } from "../_json_body.ts";
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { type SandboxUser, USER_ID_TYPES, type UserIdType } from "./directory.ts";
import { CONTACT_BATCH_GET_ID_PATH } from "./endpoints.ts";

/** Most emails (and mobiles) per call. */
export const BATCH_GET_ID_MAX = 50;

/** The `open_id` of `user` as app `appId` sees it. */
export function openIdForApp(state: SandboxState, user: SandboxUser, appId: string): string {
  if (appId === state.options.apps[0]?.appId) return user.openId;
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (const ch of `${appId}|${user.unionId}`) {
    h1 = Math.imul(h1 ^ ch.charCodeAt(0), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ ch.charCodeAt(0), 2246822519) >>> 0;
  }
  return `ou_${h1.toString(16).padStart(8, "0")}${h2.toString(16).padStart(8, "0")}${user.openId.slice(19)}`;
}

/** Register `users/batch_get_id` (before `users/:user_id`). */
export function registerContactIdRoutes(app: SandboxApp, state: SandboxState): void {
  const family = meetingFamily(state);
  app.post(CONTACT_BATCH_GET_ID_PATH, endpoint(state, "contact_batch_get_id"), async (c) => {
    const caller = requireCaller(c, family, { tenant: true, user: false });
    if (caller instanceof Response) return caller;
    const limited = enforceRateLimit(c, state, caller.appId);
    if (limited) return limited;
    const type = (c.req.query("user_id_type") ?? "open_id") as UserIdType;
    if (!USER_ID_TYPES.includes(type)) return invalid(c, state, "user_id_type", "user_id_type is invalid");
    const body = await jsonObject(c);
    if (!body) return invalid(c, state, "body", "request body is not valid JSON");
    const emails = body.emails ?? [], mobiles = body.mobiles ?? [];
    if (!Array.isArray(emails) || !emails.every((e) => typeof e === "string")) {
      return invalid(c, state, "emails", "emails must be an array of strings");
    }
    if (!Array.isArray(mobiles) || !mobiles.every((e) => typeof e === "string")) {
      return invalid(c, state, "mobiles", "mobiles must be an array of strings");
    }
    if (emails.length > BATCH_GET_ID_MAX) {
      return invalid(c, state, "emails", "the max length of emails is 50");
    }
    if (mobiles.length > BATCH_GET_ID_MAX) {
      return invalid(c, state, "mobiles", "the max length of mobiles is 50");
    }
    if (emails.length + mobiles.length === 0) {
      return invalid(c, state, "emails", "emails or mobiles is required");
    }
    const dir = family.directory;
    const idOf = (u: SandboxUser) =>
      type === "open_id" ? openIdForApp(state, u, caller.appId) : type === "union_id" ? u.unionId : u.userId;
    const status = {
      is_frozen: false,
      is_resigned: false,
      is_activated: true,
      is_exited: false,
      is_unjoin: false,
    };
    const user_list = [
      ...emails.map((email: string) => {
        const u = dir.userByEmail(email);
        return u ? { user_id: idOf(u), email, status } : { email };
      }),
      ...mobiles.map((mobile: string) => {
        const digits = mobile.startsWith("+") ? mobile : `+86${mobile}`;
        const u = dir.users.find((x) => x.mobile === digits);
        return u ? { user_id: idOf(u), mobile, status } : { mobile };
      }),
    ];
    return sendJson(c, state.clock, { code: 0, msg: "success", data: { user_list } });
  });
}

function invalid(c: SandboxContext, state: SandboxState, field: string, description: string): Response {
  return openApiError(c, state.clock, 400, 99992402, "field validation failed", [{ field, description }]);
}
