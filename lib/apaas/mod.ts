/**
 * aPaaS (飞书低代码平台): workspace tables with PostgREST-style queries
 * ({@linkcode ApaasWorkspace}, {@linkcode apaasWhere}; user access token only),
 * AI capabilities and automation flows of an application
 * ({@linkcode ApaasApplication}), and their typed errors (scope, version
 * conflict, quota, timeout).
 *
 * @example
 * ```ts
 * import { apaasWhere, ApaasWorkspace } from "./mod.ts";
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import type { TokenManager } from "../token/token_manager.ts";
 *
 * declare const http: LarkHttp;
 * declare const tokens: TokenManager, appId: string, userId: string;
 * const ws = new ApaasWorkspace(http, { workspaceId: "workspace_aadimx5uzpsls", auth: tokens.userAuth(appId, userId) });
 * const page = await ws.queryPage("customers", { filter: apaasWhere.eq("city", "北京"), pageSize: 50 });
 * ```
 *
 * @module
 */
export * from "./apaas_workspace.ts";
export * from "./apaas_types.ts";
export * from "./apaas_application.ts";
export * from "./record_filter.ts";
export * from "./apaas_scope_error.ts";
export * from "./apaas_version_conflict_error.ts";
export * from "./apaas_quota_error.ts";
export * from "./apaas_timeout_error.ts";
export { APAAS_QUOTA_CODES, APAAS_VERSION_CONFLICT_CODES } from "./_classify.ts";
