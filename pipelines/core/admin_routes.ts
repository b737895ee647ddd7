import { constantTimeEqual } from "../../lib/events/_bytes.ts";
import type { AdminAppStatus, AdminRegistry } from "./admin_registry.ts";
import { errorResponse, okResponse } from "./envelope.ts";
import type { CoreRoutes } from "./core_routes.ts";

/** Actor written to the registry's change log for admin API calls. */
export const ADMIN_API_ACTOR = "admin-api";

/**
 * The admin API for apps, every route behind `Authorization: Bearer <admin token>`:
 * - `GET /admin/apps`, `GET /admin/apps/:app_id`
 * - `POST /admin/apps` `{app_id, app_secret, name?, description?}` (201)
 * - `PATCH /admin/apps/:app_id` `{name?, description?, app_secret?}`
 * - `POST /admin/apps/:app_id/disable`, `POST /admin/apps/:app_id/enable`
 * - `DELETE /admin/apps/:app_id`
 * Answers use the core envelope; secrets are never returned.
 */
export function registerAdminRoutes(app: CoreRoutes, registry: AdminRegistry, adminToken: string): void {
  app.use("/admin/*", async (c, next) => {
    const m = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "");
    if (!adminToken || !m || !constantTimeEqual(m[1], adminToken)) {
      return errorResponse(c.get("requestId"), 401, "unauthorized", {
        kind: "auth",
        message: "missing or wrong admin bearer token",
        fix: "请在 Authorization 头中携带管理令牌：Authorization: Bearer <FEISHU_CORE_ADMIN_TOKEN>。",
      }, { "www-authenticate": "Bearer" });
    }
    await next();
  });
  const rid = (c: { get(k: "requestId"): string }) => c.get("requestId");
  const notFound = (id: string, appId: string) =>
    errorResponse(id, 404, "not_found", {
      kind: "not_found",
      message: `no app ${appId}`,
      fix: `应用 ${appId} 不存在，请先用 POST /admin/apps 添加。`,
    });
  const bad = (id: string, message: string, fix: string) =>
    errorResponse(id, 400, "bad_request", { kind: "bad_request", message, fix });

  app.get("/admin/apps", async (c) => okResponse(rid(c), { apps: await registry.list() }));
  app.get("/admin/apps/:app_id", async (c) => {
    const appId = c.req.param("app_id");
    const found = await registry.get(appId);
    return found ? okResponse(rid(c), found) : notFound(rid(c), appId);
  });
  app.post("/admin/apps", async (c) => {
    const body = await c.req.json().catch(() => null) as Record<string, unknown> | null;
    const appId = body?.app_id;
    const secret = body?.app_secret;
    if (typeof appId !== "string" || !/^cli_[A-Za-z0-9]{4,40}$/.test(appId)) {
      return bad(rid(c), "app_id missing or malformed", "app_id 必填，格式如 cli_a1b2c3d4e5f6。");
    }
    if (typeof secret !== "string" || secret.length < 8 || secret.length > 256) {
      return bad(
        rid(c),
        "app_secret missing or malformed",
        "app_secret 必填（8–256 个字符），在开发者后台「凭证与基础信息」查看。",
      );
    }
    if (await registry.get(appId)) {
      return errorResponse(rid(c), 409, "conflict", {
        kind: "bad_request",
        message: `app ${appId} exists`,
        fix: "该应用已存在；修改请用 PATCH /admin/apps/:app_id。",
      });
    }
    const added = await registry.add({
      appId,
      appSecret: secret,
      name: typeof body?.name === "string" ? body.name : undefined,
      description: typeof body?.description === "string" ? body.description : undefined,
    }, ADMIN_API_ACTOR);
    return okResponse(rid(c), added, 201);
  });
  app.patch("/admin/apps/:app_id", async (c) => {
    const appId = c.req.param("app_id");
    if (!(await registry.get(appId))) return notFound(rid(c), appId);
    const body = await c.req.json().catch(() => null) as Record<string, unknown> | null;
    if (!body) return bad(rid(c), "body is not JSON", "请求体须为 JSON 对象。");
    const patch: { name?: string; description?: string; appSecret?: string } = {};
    if (typeof body.name === "string") patch.name = body.name;
    if (typeof body.description === "string") patch.description = body.description;
    if (typeof body.app_secret === "string") patch.appSecret = body.app_secret;
    return okResponse(rid(c), await registry.update(appId, patch, ADMIN_API_ACTOR));
  });
  for (const [verb, status] of [["disable", "disabled"], ["enable", "active"]] as const) {
    app.post(`/admin/apps/:app_id/${verb}`, async (c) => {
      const appId = c.req.param("app_id");
      if (!(await registry.get(appId))) return notFound(rid(c), appId);
      return okResponse(rid(c), await registry.setStatus(appId, status as AdminAppStatus, ADMIN_API_ACTOR));
    });
  }
  app.delete("/admin/apps/:app_id", async (c) => {
    const appId = c.req.param("app_id");
    if (!(await registry.get(appId))) return notFound(rid(c), appId);
    await registry.remove(appId, ADMIN_API_ACTOR);
    return okResponse(rid(c), { removed: appId });
  });
}
