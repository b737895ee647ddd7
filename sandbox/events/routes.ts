/**
 * Routes of the events family: the long connection (`/callback/ws/endpoint`
 * and the WebSocket, `_routes_ws.ts`). Webhook deliveries go out from
 * `deliveries.ts`; they have no inbound route.
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { registerWsRoutes } from "./_routes_ws.ts";

/** Register the event endpoints. */
export function registerEventRoutes(app: SandboxApp, state: SandboxState): void {
  registerWsRoutes(app, meetingFamily(state));
}
