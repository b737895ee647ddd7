/**
 * Chat search and details over the meeting directory's department chats (each
 * department has a group chat named like the department; open.feishu.cn/document/server-docs/group/chat/search
 * and …/group/chat/get-chat), tenant or user token:
 * - `GET /open-apis/im/v1/chats/search?query=&page_size=(1–100, default 20)&page_token=&user_id_type=`
 *   → `data.{items[]{chat_id, avatar, name, description, owner_id, owner_id_type, external, tenant_key, chat_status}, has_more, page_token}`;
 *   the query matches names by substring and English (pinyin) names by prefix, case-insensitively;
 *   an empty query or one longer than 64 characters finds nothing;
 * - `GET /open-apis/im/v1/chats/:chat_id?user_id_type=` → `data.{name, description, avatar, owner_id,
 *   owner_id_type, chat_mode, chat_type, external, tenant_key, user_count, bot_count, chat_status, …}`.
 *
 * Errors: bad `page_size` / `page_token` / `user_id_type` → 99992402 [400]; an
 * unknown chat → 232011 [400] (UNCONFIRMED register CT-1).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import { type SandboxDepartment, USER_ID_TYPES, userIdOf, type UserIdType } from "../contact/directory.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { IM_CHAT_PATH, IM_CHAT_SEARCH_PATH } from "./chat_endpoints.ts";

/** Largest `page_size` of chat search. */
export const CHAT_SEARCH_MAX_PAGE_SIZE = 100;

/** Register chat search (before `chats/:chat_id`) and chat details. */
export function registerImChatRoutes(app: SandboxApp, state: SandboxState): void {
  const family = meetingFamily(state);
  const ownerOf = (d: SandboxDepartment, type: UserIdType) => {
    const m = family.directory.members(d.departmentId)[0] ?? family.directory.users[0];
    return userIdOf(m, type);
  };
  const wire = (d: SandboxDepartment, type: UserIdType) => ({
    chat_id: d.chatId,
    avatar: `https://s1-imfile.feishucdn.com/static-resource/v1/sandbox-${d.chatId}~`,
    name: d.name,
    description: `${d.name}部门群`,
    owner_id: ownerOf(d, type),
    owner_id_type: type,
    external: false,
    tenant_key: family.directory.tenantKey,
    chat_status: "normal",
  });
  const common = (c: SandboxContext): UserIdType | Response => {
    const caller = requireCaller(c, family, { tenant: true, user: true });
    if (caller instanceof Response) return caller;
    const limited = enforceRateLimit(c, state, caller.appId);
    if (limited) return limited;
    const type = (c.req.query("user_id_type") ?? "open_id") as UserIdType;
    return USER_ID_TYPES.includes(type) ? type : invalid(c, state, "user_id_type", "user_id_type is invalid");
  };
  app.get(IM_CHAT_SEARCH_PATH, endpoint(state, "im_chat_search"), (c) => {
    const type = common(c);
    if (type instanceof Response) return type;
    const raw = c.req.query("page_size");
    const size = raw === undefined ? 20 : Number(raw);
    if (!Number.isInteger(size) || size < 1 || size > CHAT_SEARCH_MAX_PAGE_SIZE) {
      return invalid(c, state, "page_size", "page_size must be between 1 and 100");
    }
    const token = c.req.query("page_token") ?? "";
    const m = /^cs_(\d+)$/.exec(token);
    if (token !== "" && !m) return invalid(c, state, "page_token", "page_token is invalid");
    const q = (c.req.query("query") ?? "").toLowerCase();
    const hits = q === "" || [...q].length > 64
      ? []
      : family.directory.departments.filter((d) =>
        d.name.toLowerCase().includes(q) || d.enName.toLowerCase().startsWith(q)
      );
    const offset = m ? Number(m[1]) : 0;
    const more = offset + size < hits.length;
    return sendJson(c, state.clock, {
      code: 0,
      msg: "success",
      data: {
        items: hits.slice(offset, offset + size).map((d) => wire(d, type)),
        has_more: more,
        page_token: more ? `cs_${offset + size}` : "",
      },
    });
  });
  app.get(IM_CHAT_PATH, endpoint(state, "im_chat_get"), (c) => {
    const type = common(c);
    if (type instanceof Response) return type;
    const d = family.directory.departments.find((x) => x.chatId === c.req.param("chat_id"));
    if (!d) return openApiError(c, state.clock, 400, 232011, "chat not found");
    const { chat_id: _id, ...rest } = wire(d, type);
    return sendJson(c, state.clock, {
      code: 0,
      msg: "success",
      data: {
        ...rest,
        i18n_names: { zh_cn: d.name, en_us: d.enName },
        chat_mode: "group",
        chat_type: "private",
        user_count: String(family.directory.members(d.departmentId).length),
        bot_count: "1",
        add_member_permission: "all_members",
        share_card_permission: "allowed",
        at_all_permission: "all_members",
        edit_permission: "all_members",
        membership_approval: "no_approval_required",
        moderation_permission: "all_members",
      },
    });
  });
}

function invalid(c: SandboxContext, state: SandboxState, field: string, description: string): Response {
  return openApiError(c, state.clock, 400, 99992402, "field validation failed", [{ field, description }]);
}
