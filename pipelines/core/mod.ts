/**
 * The core service (`deno task core`): card callbacks through a queue,
 * `/healthz`, `/metrics`, the admin API for apps and user authorization, and
 * the user-authorization callback, all answering with one envelope
 * `{code, request_id, data, error}`. `startCore(loadCoreConfig(), …)` wires it
 * from the environment, as `deno task core` does.
 *
 * @example Register a handler and serve
 * ```ts
 * import { createLogger } from "../../lib/log/logger.ts";
 * import { serveGuarded } from "../../lib/http/serve_guarded.ts";
 * import { approvalCard, loadCoreConfig, startCore } from "./mod.ts";
 *
 * const core = await startCore(loadCoreConfig(), { logger: createLogger() });
 * core.router.on("approve", (action) => Promise.resolve({ card: approvalCard("报销单", "已通过", action.operator.openId) }));
 * serveGuarded({ hostname: "127.0.0.1", port: 8787 }, core.service.fetch);
 * ```
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
export * from "./config.ts";
export * from "./core_retry.ts";
export * from "./app_clients.ts";
export * from "./approval_handlers.ts";
export * from "./start_core.ts";
