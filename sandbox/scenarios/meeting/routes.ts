/**
 * Routes of the sandbox's meeting family: long connection, VC recording,
 * minutes and media, OAuth, IM send, contacts, and the control calls under
 * `/__sandbox/meeting`. The family's state lives in `state.families`
 * (`"meeting"`, see `family.ts`) and resets with the sandbox.
 *
 * @module
 */
import type { SandboxApp } from "../../_env.ts";
import type { SandboxState } from "../../state.ts";
import { meetingFamily } from "./family.ts";
import { registerContactRoutes } from "../../contact/routes.ts";
import { registerMeetingControlRoutes } from "../../control/_meeting.ts";
import { registerImRoutes } from "../../im/_routes_send.ts";
import { registerOAuthRoutes } from "../../auth/_routes_oauth.ts";
import { registerVcRoutes } from "../../vc/routes.ts";
import { registerWsRoutes } from "../../events/_routes_ws.ts";

/** Register the meeting family's routes on the sandbox app. */
export function registerMeetingRoutes(app: SandboxApp, state: SandboxState): void {
  const family = meetingFamily(state);
  state.onReset(() => family.reset());
  // Stopgap for a missing "sandbox closed" hook: `listen().close()` releases the
  // hang registry before shutting the server down, so cancel pending
  // redeliveries and waits then too (sockets close with the server by themselves).
  const release = state.hangs.release.bind(state.hangs);
  state.hangs.release = () => {
    family.cancelPending();
    return release();
  };
  registerMeetingControlRoutes(app, family);
  registerWsRoutes(app, family);
  registerVcRoutes(app, family);
  registerOAuthRoutes(app, family);
  registerImRoutes(app, family);
  registerContactRoutes(app, family);
}
