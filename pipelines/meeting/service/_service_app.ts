/** The archiver's HTTP app (not exported from the package). */
import { Hono } from "hono";
import type { Logger } from "../../../lib/log/logger.ts";
import type { Clock } from "../../../lib/time/clock.ts";
import type { MeetingConfig } from "../config.ts";
import type { ServiceParts } from "./_service_parts.ts";
import type { AccessPolicy } from "./access_policy.ts";
import { registerAdminAccess } from "./admin_access.ts";
import { AUTH_CALLBACK_PATH, AUTH_START_PATH, registerAuthRoutes } from "./auth_routes.ts";
import { type MeetingHealth, registerStatusRoutes } from "./status_routes.ts";
import { registerWebhookRoute, WEBHOOK_PATH } from "./webhook_route.ts";

/** Paths served without the admin token (they carry their own checks). */
export const PUBLIC_PATHS: readonly string[] = [
  WEBHOOK_PATH,
  AUTH_START_PATH,
  AUTH_CALLBACK_PATH,
  "/healthz",
];

/**
 * The Hono app: the front door (hosts, origins, admin token) first, then the
 * webhook, the OAuth pages and the health/status routes.
 */
export function buildServiceApp(
  config: MeetingConfig,
  parts: ServiceParts,
  o: { policy: AccessPolicy; health: () => Promise<MeetingHealth>; clock: Clock; logger: Logger },
): Hono {
  const log = o.logger;
  const app = new Hono();
  app.onError((e, c) => {
    log.error("http.error", { path: new URL(c.req.url).pathname, error: e });
    return c.json({ error: "internal_error", message: "服务内部错误，详情见日志。" }, 500);
  });
  app.notFound((c) => c.text("页面不存在。", 404));
  registerAdminAccess(app, {
    policy: o.policy,
    publicPaths: PUBLIC_PATHS,
    originExemptPaths: [WEBHOOK_PATH],
    clock: o.clock,
  });
  registerWebhookRoute(app, {
    events: parts.events,
    encryptKey: config.app.encrypt_key,
    verificationToken: config.app.verification_token,
    onStored: () => parts.processor.wake(),
    replayWindowSec: config.events.signed_window_seconds,
    clock: o.clock,
    logger: log,
  });
  registerAuthRoutes(app, {
    userAuth: parts.userAuth,
    appId: parts.clients.app.appId,
    publicBaseUrl: config.server.public_base_url,
    scopes: config.oauth.scopes,
    maxPendingStates: config.oauth.max_pending_states,
    maxStartsPerMinute: config.oauth.starts_per_minute,
    secureCookies: o.policy.secureCookies,
    worker: parts.worker,
    clock: o.clock,
    logger: log,
  });
  registerStatusRoutes(app, {
    health: o.health,
    jobs: parts.jobs,
    worker: parts.worker,
    timeZone: config.naming.time_zone,
    authStartUrl: parts.authStartUrl,
  });
  return app;
}
