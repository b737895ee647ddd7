/**
 * Routes of the IM family: `GET /open-apis/im/v1/messages` and
 * `…/messages/:message_id/resources/:file_key` (`_routes_read.ts`, over the
 * export scenario's chats) and `POST /open-apis/im/v1/messages`
 * (`_routes_send.ts`, to the meeting scenario's directory).
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { registerImReadRoutes } from "./_routes_read.ts";
import { registerImSendRoutes } from "./_routes_send.ts";

/** Register the IM endpoints. */
export function registerImRoutes(app: SandboxApp, state: SandboxState): void {
  registerImReadRoutes(app, state);
  registerImSendRoutes(app, meetingFamily(state));
}
