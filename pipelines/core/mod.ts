/**
 * The core service (`deno task core`): card callbacks through a queue,
 * `/healthz`, `/metrics`, the admin API for apps and the user-authorization
 * callback, all answering with one envelope `{code, request_id, data, error}`.
 *
 * @module
 */
export * from "./envelope.ts";
export * from "./metrics.ts";
export * from "./admin_registry.ts";
export * from "./admin_routes.ts";
export * from "./admin_user_auth_routes.ts";
export * from "./core_env.ts";
export * from "./core_routes.ts";
export * from "./core_service.ts";
