/**
 * Routes of the sandbox's meeting family: long connection, VC recording,
 * minutes and media, OAuth, IM send, contacts, and the control calls under
 * `/__sandbox/meeting`. The family's state lives in `state.families`
 * (`"meeting"`, see `family.ts`) and resets with the sandbox.
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import type { SandboxState } from "../state.ts";
import { meetingFamily } from "./family.ts";
import { registerContactRoutes } from "./_routes_contact.ts";
import { registerMeetingControlRoutes } from "./_routes_control.ts";
import { registerImRoutes } from "./_routes_im.ts";
import { registerOAuthRoutes } from "./_routes_oauth.ts";
import { registerVcRoutes } from "./_routes_vc.ts";
import { registerWsRoutes } from "./_routes_ws.ts";

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
