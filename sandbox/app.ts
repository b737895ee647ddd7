/**
 * Assembles the sandbox's Hono app from its route modules (one per API
 * family). New families add a `routes/<family>.ts` with a `register…Routes`
 * function and are wired here.
 *
 * @module
 */
import { Hono } from "hono";
import type { SandboxApp, SandboxEnv } from "./_env.ts";
import { journalMiddleware } from "./_middleware.ts";
import { plainNotFound, sendJson } from "./_respond.ts";
import { registerAuthRoutes } from "./auth/_routes_app_token.ts";
import { registerClmRoutes } from "./clm/_routes_chat_lookup.ts";
import { registerContractRoutes } from "./contract/routes.ts";
import { registerControlRoutes } from "./control/routes.ts";
import { registerExportRoutes } from "./scenarios/export/routes.ts";
import { registerMeetingRoutes } from "./scenarios/meeting/routes.ts";
import type { SandboxState } from "./state.ts";

/** Build the Hono app answering like Feishu over `state`. */
export function createApp(state: SandboxState): SandboxApp {
  const app = new Hono<SandboxEnv>();
  app.use("*", journalMiddleware(state));
  registerControlRoutes(app, state);
  registerAuthRoutes(app, state);
  registerContractRoutes(app, state);
  registerClmRoutes(app, state);
  registerExportRoutes(app, state);
  registerMeetingRoutes(app, state);
  app.notFound(() => plainNotFound());
  app.onError((err, c) => {
    state.logger.error(`沙箱内部错误：${err.message}`, { path: c.req.path });
    return sendJson(c, state.clock, { code: 2200, msg: "Internal Error" }, 500);
  });
  return app;
}
