/**
 * Routes of the auth family: the auth v3 app/tenant token endpoints
 * (`_routes_app_token.ts`) and user OAuth — authorize page, v2 token,
 * `user_info` (`_routes_oauth.ts`).
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { registerAppTokenRoutes } from "./_routes_app_token.ts";
import { registerOAuthRoutes } from "./_routes_oauth.ts";

/** Register the auth endpoints. */
export function registerAuthRoutes(app: SandboxApp, state: SandboxState): void {
  registerAppTokenRoutes(app, state);
  registerOAuthRoutes(app, meetingFamily(state));
}
