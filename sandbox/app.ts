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
import { registerAuthRoutes } from "./routes/auth.ts";
import { registerClmRoutes } from "./routes/clm.ts";
import { registerContractRoutes } from "./routes/contract.ts";
import { registerControlRoutes } from "./routes/control.ts";
import { registerExportRoutes } from "./export/routes.ts";
import { registerMeetingRoutes } from "./meeting/routes.ts";
import { registerCardRoutes } from "./card/routes.ts";
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
  registerCardRoutes(app, state);
  app.notFound(() => plainNotFound());
  app.onError((err, c) => {
    state.logger.error(`沙箱内部错误：${err.message}`, { path: c.req.path });
    return sendJson(c, state.clock, { code: 2200, msg: "Internal Error" }, 500);
  });
  return app;
}
