/**
 * Minutes (open.feishu.cn/document/server-docs/minutes-v1/minute/get and
 * .../minute-media/get), tenant or user token:
 * - `GET /open-apis/minutes/v1/minutes/:minute_token` → `data.minute`;
 * - `GET /open-apis/minutes/v1/minutes/:minute_token/media` → `data.download_url`
 *   (a signed link to `GET /__media/:minute_token`, `_serve_media.ts`, honouring `Range`);
 *   both: 2091001 bad token [400], 2091002 unknown [404], 2091003 not ready
 *   (HTTP 400 ASSUMED), 2091005 not the owner's with a user token [403];
 *   each its own documented 5/s per app (`DOCUMENTED_RATE_LIMITS`).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { type Caller, requireCaller } from "../auth/_bearer.ts";
import { USER_ID_TYPES, userIdOf, type UserIdType } from "../contact/directory.ts";
import { MEDIA_DOWNLOAD_PATH, MINUTE_MEDIA_PATH, MINUTE_PATH } from "./endpoints.ts";
import { type MeetingFamily, meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { durationMs, recordingUrl, type SandboxMeeting } from "../vc/meetings.ts";
import { mediaSignature, serveMedia } from "./_serve_media.ts";

const BOTH = { tenant: true, user: true };

/** Register the minutes endpoints and the media download. */
export function registerMinutesRoutes(app: SandboxApp, state: SandboxState): void {
  const family = meetingFamily(state);
  app.get(MINUTE_MEDIA_PATH, endpoint(state, "minute_media"), (c) => minute(c, family, true));
  app.get(MINUTE_PATH, endpoint(state, "minute_get"), (c) => minute(c, family, false));
  app.get(MEDIA_DOWNLOAD_PATH, endpoint(state, "media_download"), (c) => serveMedia(c, family));
}

/** Shared checks of the two minutes endpoints; the meeting or the refusing `Response`. */
function minuteGuard(c: SandboxContext, family: MeetingFamily, caller: Caller): SandboxMeeting | Response {
  const clock = family.state.clock;
  const limited = enforceRateLimit(c, family.state, caller.appId);
  if (limited) return limited;
  const token = c.req.param("minute_token") ?? "";
  if (!/^[a-z0-9]{24}$/.test(token)) return openApiError(c, clock, 400, 2091001, "param is invalid");
  const meeting = family.meetings.byMinuteToken(token);
  if (!meeting || !meeting.recorded) return openApiError(c, clock, 404, 2091002, "resource not found");
  if (caller.kind === "user" && caller.user.openId !== meeting.owner.openId) {
    return openApiError(c, clock, 403, 2091005, "permission deny");
  }
  if (clock.now() < meeting.recordingReadyAt) return openApiError(c, clock, 400, 2091003, "minute not ready");
  return meeting;
}

async function minute(c: SandboxContext, family: MeetingFamily, media: boolean): Promise<Response> {
  const clock = family.state.clock;
  const caller = requireCaller(c, family, BOTH);
  if (caller instanceof Response) return caller;
  const userIdType = (c.req.query("user_id_type") ?? "open_id") as UserIdType;
  if (!media && !USER_ID_TYPES.includes(userIdType)) {
    return openApiError(c, clock, 400, 99992402, "field validation failed", [
      { field: "user_id_type", description: "user_id_type is invalid" },
    ]);
  }
  const meeting = minuteGuard(c, family, caller);
  if (meeting instanceof Response) return meeting;
  if (media) {
    const expires = clock.now() + family.options.mediaUrlTtlMs;
    const sig = await mediaSignature(family, meeting.minuteToken, expires);
    const url = new URL(MEDIA_DOWNLOAD_PATH.replace(":minute_token", meeting.minuteToken), c.req.url);
    url.search = new URLSearchParams({ expires: String(expires), sig }).toString();
    return sendJson(c, clock, { code: 0, msg: "success", data: { download_url: url.toString() } });
  }
  return sendJson(c, clock, {
    code: 0,
    msg: "success",
    data: {
      minute: {
        token: meeting.minuteToken,
        owner_id: userIdOf(meeting.owner, userIdType),
        create_time: String(meeting.endedAt),
        title: meeting.topic,
        cover: `https://internal-api-lark-file.feishu.cn/static-resource/v1/${meeting.minuteToken}~cover.jpg`,
        duration: String(durationMs(meeting)),
        url: recordingUrl(meeting),
      },
    },
  });
}
