/**
 * The sandbox's meeting family: everything the meeting recording archiver
 * talks to, answering like Feishu (each family folder cites its official pages):
 *
 * - signed/encrypted event delivery to a webhook with redelivery, and the
 *   long connection (`/callback/ws/endpoint` + pbbp2 frames over WebSocket);
 * - VC recording (not ready for a configurable time), minutes info and
 *   media (an mp4 of configurable size honouring `Range`);
 * - OAuth authorize page and the v2 token endpoint (single-use rotating
 *   refresh tokens), `user_info`;
 * - IM send (recorded), contact users and departments;
 * - control calls under `/__sandbox/meeting` (end a meeting, authorize a
 *   user, revoke tokens, kill sockets, cut downloads, URL verification).
 *
 * Tests reach the family's state with {@linkcode meetingFamily}.
 *
 * @example
 * ```ts
 * import { createSandbox } from "../../mod.ts";
 * import { meetingFamily } from "./mod.ts";
 *
 * const sandbox = createSandbox({ meeting: { recordingReadyAfterMs: 0 } });
 * const server = await sandbox.listen();
 * const family = meetingFamily(sandbox);
 * const { minute_token } = await family.endMeeting({ topic: "周会", owner_user_id: family.directory.users[0].userId });
 * console.log(minute_token, family.deliveries.length);
 * await server.close();
 * ```
 *
 * @module
 */
export * from "./options.ts";
export * from "./endpoints.ts";
export * from "./family.ts";
export * from "../../contact/directory.ts";
export * from "../../vc/meetings.ts";
export * from "../../events/deliveries.ts";
export * from "../../events/ws_hub.ts";
export * from "../../auth/user_tokens.ts";
export * from "../../minutes/media.ts";
export * from "../../events/event_crypto.ts";
export {
  decodeFrame,
  encodeFrame,
  type Frame,
  FRAME_CONTROL,
  FRAME_DATA,
  type FrameHeader,
  frameHeader,
} from "../../../lib/testing/pbbp2_frame.ts";
export { DEFAULT_GRANTED_SCOPE } from "../../auth/_authorize.ts";
export { MEETING_CONTROL_PREFIX } from "../../control/_meeting.ts";
export { CARD_LIMIT_BYTES, MSG_TYPES, TEXT_LIMIT_BYTES } from "../../im/_routes_send.ts";
export { meetingBannerLines } from "./banner.ts";
export { Timers } from "../../_timers.ts";
