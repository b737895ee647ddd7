/**
 * Routes of the IM family: `GET /open-apis/im/v1/messages` and
 * `…/messages/:message_id/resources/:file_key` (`_routes_read.ts`, over the
 * export scenario's chats) and `POST /open-apis/im/v1/messages`
 * (`_routes_send.ts`, to the meeting scenario's directory); reply, recall,
 * edit and card update of sent messages (`_routes_manage.ts`, reply in
 * `_routes_reply.ts`, shared steps in `_manage_common.ts`); image and
 * file uploads (`_routes_upload.ts`); v4 batch send (`_routes_batch.ts`); their extra state in `message_state.ts`.
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { registerImChatRoutes } from "./_routes_chats.ts";
import { registerImReadRoutes } from "./_routes_read.ts";
import { registerImSendRoutes } from "./_routes_send.ts";
import { registerImManageRoutes } from "./_routes_manage.ts";
import { registerImUploadRoutes } from "./_routes_upload.ts";
import { registerImBatchRoutes } from "./_routes_batch.ts";

/** Register the IM endpoints. */
export function registerImRoutes(app: SandboxApp, state: SandboxState): void {
  registerImChatRoutes(app, state);
  registerImReadRoutes(app, state);
  const family = meetingFamily(state);
  registerImSendRoutes(app, family);
  registerImManageRoutes(app, family);
  registerImUploadRoutes(app, family);
  registerImBatchRoutes(app, family);
}
