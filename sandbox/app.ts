/**
 * Assembles the sandbox's Hono app from its route modules, one folder per
 * Feishu API family (`auth/`, `contract/`, `clm/`, `im/`, `contact/`, `vc/`,
 * `minutes/`, `events/`, `messenger/`, `control/`). A new family adds a
 * folder with a `routes.ts` exporting a `register…Routes(app, state)` wired here.
 *
 * @module
 */
import { Hono } from "hono";
import type { SandboxApp, SandboxEnv } from "./_env.ts";
import { journalMiddleware } from "./_middleware.ts";
import { plainNotFound, sendJson } from "./_respond.ts";
import { registerApaasRoutes } from "./apaas/routes.ts";
import { registerAuthRoutes } from "./auth/routes.ts";
import { registerBitableRoutes } from "./bitable/routes.ts";
import { registerClmRoutes } from "./clm/routes.ts";
import { registerContactRoutes } from "./contact/routes.ts";
import { registerContractRoutes } from "./contract/routes.ts";
import { registerControlRoutes } from "./control/routes.ts";
import { registerEventRoutes } from "./events/routes.ts";
import { registerImRoutes } from "./im/routes.ts";
import { registerMessengerRoutes } from "./messenger/routes.ts";
import { registerMinutesRoutes } from "./minutes/routes.ts";
import { registerSheetsRoutes } from "./sheets/routes.ts";
import { meetingFamily } from "./scenarios/meeting/family.ts";
import { registerBaseRoutes } from "./base/routes.ts";
import { registerCardRoutes } from "./card/routes.ts";
import type { SandboxState } from "./state.ts";
import { registerVcRoutes } from "./vc/routes.ts";
import { registerDocxRoutes } from "./docx/routes.ts";
import { registerDriveRoutes } from "./drive/routes.ts";
import { registerCalendarRoutes } from "./calendar/routes.ts";

/** Build the Hono app answering like Feishu over `state`. */
export function createApp(state: SandboxState): SandboxApp {
  const app = new Hono<SandboxEnv>();
  meetingFamily(state); // the meeting scenario resets and closes with the sandbox
  app.use("*", journalMiddleware(state));
  registerControlRoutes(app, state);
  registerAuthRoutes(app, state);
  registerContractRoutes(app, state);
  registerClmRoutes(app, state);
  registerCardRoutes(app, state); // before IM: it keeps the history of card updates
  registerImRoutes(app, state);
  registerContactRoutes(app, state);
  registerVcRoutes(app, state);
  registerMinutesRoutes(app, state);
  registerEventRoutes(app, state);
  registerMessengerRoutes(app, state);
  // Three families serve GET /open-apis/drive/v1/medias/:file_token/download: the Base attachment
  // (personal base token) and bitable ones pass tokens they do not know on; drive answers the rest.
  registerBaseRoutes(app, state);
  registerBitableRoutes(app, state);
  registerDocxRoutes(app, state);
  registerDriveRoutes(app, state);
  registerCalendarRoutes(app, state);
  registerSheetsRoutes(app, state);
  registerApaasRoutes(app, state);
  app.notFound(() => plainNotFound());
  app.onError((err, c) => {
    state.logger.error(`沙箱内部错误：${err.message}`, { path: c.req.path });
    return sendJson(c, state.clock, { code: 2200, msg: "Internal Error" }, 500);
  });
  return app;
}
