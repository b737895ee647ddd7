/**
 * VC recording (open.feishu.cn/document/server-docs/vc-v1/meeting-recording/get):
 * - `GET /open-apis/vc/v1/meetings/:meeting_id/recording` (tenant token: any
 *   meeting; user token: the owner's only → 121005 [403]); 121003 bad id
 *   [400]; 121004 unknown or unrecorded meeting [404]; before the recording
 *   exists: 124002 "recording generating" (code per lark-cli; HTTP 400 is an
 *   ASSUMPTION) or, with `recordingNotReady: "not_found"`, 121004 [404].
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import { RECORDING_PATH } from "./endpoints.ts";
import { type MeetingFamily, meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { durationMs, recordingUrl } from "./meetings.ts";

const BOTH = { tenant: true, user: true };

/** Register the VC recording endpoint. */
export function registerVcRoutes(app: SandboxApp, state: SandboxState): void {
  const family = meetingFamily(state);
  app.get(RECORDING_PATH, endpoint(state, "vc_recording"), (c) => recording(c, family));
}

function recording(c: SandboxContext, family: MeetingFamily): Response {
  const clock = family.state.clock;
  const caller = requireCaller(c, family, BOTH);
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, family.state, caller.appId);
  if (limited) return limited;
  const id = c.req.param("meeting_id") ?? "";
  if (!/^\d{1,32}$/.test(id)) {
    return openApiError(c, clock, 400, 121003, "param error: meeting_id is invalid");
  }
  const meeting = family.meetings.byId(id);
  if (!meeting || !meeting.recorded) return openApiError(c, clock, 404, 121004, "data not exist");
  if (caller.kind === "user" && caller.user.openId !== meeting.owner.openId) {
    return openApiError(c, clock, 403, 121005, "no permission");
  }
  if (clock.now() < meeting.recordingReadyAt) {
    if (family.options.recordingNotReady === "not_found") {
      return openApiError(c, clock, 404, 121004, "data not exist");
    }
    return openApiError(c, clock, 400, 124002, "recording is generating, please try again later");
  }
  return sendJson(c, clock, {
    code: 0,
    msg: "success",
    data: { recording: { url: recordingUrl(meeting), duration: String(durationMs(meeting)) } },
  });
}
