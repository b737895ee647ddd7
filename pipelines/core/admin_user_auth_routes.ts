import type { RequestUserAuthOptions, UserAuthRequest, UserAuthSession } from "../../lib/user_auth/mod.ts";
import type { CoreRoutes } from "./core_routes.ts";
import { errorResponse, errorResponseOf, okResponse } from "./envelope.ts";

/** What the admin API needs of user authorization (`startCore` gives its service and session store). */
export interface AdminUserAuth {
  /** Send the user an authorization card or link (`UserAuthService.requestUserAuth`). */
  requestUserAuth(appId: string, userId: string, options: RequestUserAuthOptions): Promise<UserAuthRequest>;
  /** One session by id (`UserAuthStore.get`). */
  session(id: string): UserAuthSession | undefined;
}

/** A session as the admin API shows it (never the state or the PKCE verifier). */
export interface AdminUserAuthSession {
  /** Session id (`uas_…`). */
  session_id: string;
  /** App asking. */
  app_id: string;
  /** User asked. */
  user_id: string;
  /** `open_id` or `user_id`. */
  user_id_type: string;
  /** `card` or `link`. */
  via: string;
  /** `pending`, `completed`, `expired` or `failed`. */
  status: string;
  /** ISO times. */
  created_at: string;
  /** When the link stops working. */
  expires_at: string;
  /** When it completed, failed or expired. */
  finished_at: string | null;
  /** Why it failed. */
  error: string | null;
  /** The message that carried the request. */
  message_id: string | null;
}

const SESSION_ID = /^uas_[A-Za-z0-9_-]{1,40}$/;

/**
 * User authorization over the admin API (behind the same bearer token as
 * `/admin/apps`, registered after `registerAdminRoutes`), so any process can
 * start it, not only the one holding the service:
 * - `POST /admin/user-auth` `{app_id, user_id, via: "card" | "link", user_id_type?}` → 201,
 *   the new session (the user gets the card or link, signed by that app);
 * - `GET /admin/user-auth/:id` → the session's status (`pending` → `completed` | `expired` | `failed`).
 * Bad input is a 400 whose `fix` names the field in Chinese; an unknown or disabled app is
 * refused with the registry's typed error (409 `config`).
 */
export function registerUserAuthAdminRoutes(app: CoreRoutes, userAuth: AdminUserAuth): void {
  const bad = (rid: string, field: string, fix: string) =>
    errorResponse(rid, 400, "bad_request", {
      kind: "bad_request",
      message: `${field} missing or malformed`,
      fix,
    });

  app.post("/admin/user-auth", async (c) => {
    const rid = c.get("requestId");
    const body = await c.req.json().catch(() => null) as Record<string, unknown> | null;
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      return bad(
        rid,
        "body",
        '请求体须为 JSON 对象：{"app_id": "cli_…", "user_id": "ou_…", "via": "card"}。',
      );
    }
    const { app_id: appId, user_id: userId, via, user_id_type: userIdType = "open_id" } = body;
    if (typeof appId !== "string" || !/^cli_[A-Za-z0-9]{4,40}$/.test(appId)) {
      return bad(rid, "app_id", "app_id 必填，格式如 cli_a1b2c3d4e5f6。");
    }
    if (typeof userId !== "string" || !/^[A-Za-z0-9_-]{1,100}$/.test(userId)) {
      return bad(
        rid,
        "user_id",
        "user_id 必填：被授权用户的 open_id（如 ou_…）或 user_id，最长 100 个字符。",
      );
    }
    if (via !== "card" && via !== "link") {
      return bad(rid, "via", "via 必填，只能是 card（授权卡片）或 link（带授权链接的消息）。");
    }
    if (userIdType !== "open_id" && userIdType !== "user_id") {
      return bad(rid, "user_id_type", "user_id_type 只能是 open_id（默认）或 user_id。");
    }
    try {
      const req = await userAuth.requestUserAuth(appId, userId, { via, userIdType });
      const session = userAuth.session(req.sessionId);
      return okResponse(rid, session ? view(session) : { session_id: req.sessionId }, 201);
    } catch (e) {
      return errorResponseOf(rid, e);
    }
  });

  app.get("/admin/user-auth/:id", (c) => {
    const rid = c.get("requestId");
    const id = c.req.param("id");
    if (!SESSION_ID.test(id)) {
      return bad(rid, "id", "会话 ID 格式不正确：应为 POST /admin/user-auth 返回的 session_id（uas_…）。");
    }
    const session = userAuth.session(id);
    if (!session) {
      return errorResponse(rid, 404, "not_found", {
        kind: "not_found",
        message: `no user-auth session ${id}`,
        fix: "授权会话不存在（或已被清理），请用 POST /admin/user-auth 重新发起授权。",
      });
    }
    return okResponse(rid, view(session));
  });
}

function view(s: UserAuthSession): AdminUserAuthSession {
  const iso = (ms: number | undefined) => ms === undefined ? null : new Date(ms).toISOString();
  return {
    session_id: s.id,
    app_id: s.appId,
    user_id: s.userId,
    user_id_type: s.userIdType,
    via: s.method,
    status: s.status,
    created_at: iso(s.createdAt)!,
    expires_at: iso(s.expiresAt)!,
    finished_at: iso(s.finishedAt),
    error: s.error ?? null,
    message_id: s.messageId ?? null,
  };
}
