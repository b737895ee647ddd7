/**
 * Ending a meeting: validate the input, create (or re-end) the meeting with
 * its future recording and minute, and start the deliveries of
 * `vc.meeting.all_meeting_ended_v1`.
 *
 * @module
 */
import { fieldGrants } from "../auth/scopes.ts";
import type { DeliveryChannel, DeliveryEngine } from "../events/deliveries.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import {
  meetingEndedEvent,
  newEventId,
  newMeetingId,
  newMeetingNo,
  newMinuteToken,
  recordingUrl,
  type SandboxMeeting,
} from "./meetings.ts";
import { MAX_MEDIA_SIZE_BYTES, type MeetingDelivery } from "../scenarios/meeting/options.ts";

/** Input of `endMeeting` (also the JSON body of `POST /__sandbox/meeting/end`); all optional. */
export interface EndMeetingInput {
  /** Meeting id (default: a new 19-digit id); an existing id re-ends that meeting (same recording). */
  meeting_id?: string;
  /** Topic (default 周会). */
  topic?: string;
  /** Owner, any id kind (default the first user, 张三). */
  owner_user_id?: string;
  /** Host, any id kind (default the owner). */
  host_user_id?: string;
  /** Start, unix seconds (default end − 30 min). */
  start_time?: number | string;
  /** End, unix seconds (default now on the sandbox clock). */
  end_time?: number | string;
  /** `false`: no recording (the recording endpoint answers 121004). Default true. */
  recorded?: boolean;
  /** Override of `recordingReadyAfterMs` for this meeting. */
  recording_ready_after_ms?: number;
  /** Override of `mediaSizeBytes` for this meeting. */
  media_size_bytes?: number;
  /** Override of the `delivery` option. */
  delivery?: MeetingDelivery;
  /** Deliver the event twice (same `event_id`). */
  duplicate?: boolean;
  /** Frames per long-connection payload. */
  chunks?: number;
  /** Webhook URL for this event. */
  webhook_url?: string;
  /** Send a wrong `X-Lark-Signature`. */
  corrupt_signature?: boolean;
  /** App of the event (default the first configured app). */
  app_id?: string;
}

/** What `endMeeting` returns (also the `data` of the control call). */
export interface EndMeetingResult {
  /** The meeting as the event carries it. */
  meeting: Record<string, unknown>;
  /** `header.event_id`. */
  event_id: string;
  /** Minute token of the future recording. */
  minute_token: string;
  /** Recording URL once ready. */
  recording_url: string;
  /** When the recording is ready, ms (sandbox clock); absent when not recorded. */
  recording_ready_at?: number;
  /** Started deliveries. */
  deliveries: { id: string; channel: DeliveryChannel }[];
}

function fail(message: string): never {
  throw new RangeError(message);
}

function seconds(value: number | string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "string" ? Number(value) : value;
  if (!Number.isSafeInteger(n) || n < 0) fail(`${name} 必须是 Unix 秒（整数），实际为 ${value}`);
  return n > 1e12 ? Math.floor(n / 1000) : n; // tolerate ms
}

/** Run `endMeeting` for `family` (see {@linkcode EndMeetingInput}). */
export async function runEndMeeting(
  family: MeetingFamily,
  engine: DeliveryEngine,
  input: EndMeetingInput,
): Promise<EndMeetingResult> {
  if (input === null || typeof input !== "object") fail("请求体必须是 JSON 对象");
  const { state, directory } = family;
  const o = family.options;
  const owner = input.owner_user_id === undefined
    ? directory.users[0]
    : directory.user(String(input.owner_user_id)) ?? fail(`未知用户：${input.owner_user_id}`);
  const host = input.host_user_id === undefined
    ? owner
    : directory.user(String(input.host_user_id)) ?? fail(`未知用户：${input.host_user_id}`);
  const topic = input.topic ?? "周会";
  if (typeof topic !== "string" || topic.length === 0 || topic.length > 255) {
    fail("topic 必须是 1 到 255 个字符");
  }
  const end = seconds(input.end_time, "end_time") ?? Math.floor(state.clock.now() / 1000);
  const start = seconds(input.start_time, "start_time") ?? end - 1800;
  if (start > end) fail("start_time 不能晚于 end_time");
  if (input.meeting_id !== undefined && !/^\d{1,32}$/.test(String(input.meeting_id))) {
    fail(`meeting_id 必须是数字串：${input.meeting_id}`);
  }
  const readyAfter = input.recording_ready_after_ms ?? o.recordingReadyAfterMs;
  if (!(readyAfter >= 0)) fail(`recording_ready_after_ms 必须是非负数：${readyAfter}`);
  const size = input.media_size_bytes ?? o.mediaSizeBytes;
  if (!Number.isSafeInteger(size) || size < 64 || size > MAX_MEDIA_SIZE_BYTES) {
    fail(`media_size_bytes 必须是 64 到 ${MAX_MEDIA_SIZE_BYTES} 之间的整数：${size}`);
  }
  const chunks = input.chunks ?? o.wsChunks;
  if (!Number.isInteger(chunks) || chunks < 1 || chunks > 64) fail(`chunks 必须是 1 到 64 的整数：${chunks}`);
  const delivery = input.delivery ?? o.delivery;
  if (!["auto", "webhook", "ws", "both"].includes(delivery)) {
    fail(`delivery 只能是 auto/webhook/ws/both：${delivery}`);
  }
  if (input.webhook_url !== undefined && !URL.canParse(input.webhook_url)) {
    fail(`webhook_url 不是合法的 URL：${input.webhook_url}`);
  }
  const appId = input.app_id ?? state.options.apps[0].appId;
  if (!state.app(appId)) fail(`未知应用：${appId}`);

  const now = state.clock.now();
  const previous = input.meeting_id === undefined
    ? undefined
    : family.meetings.byId(String(input.meeting_id));
  const meeting: SandboxMeeting = {
    id: previous?.id ?? (input.meeting_id === undefined ? newMeetingId() : String(input.meeting_id)),
    topic,
    meetingNo: previous?.meetingNo ?? newMeetingNo(),
    startTime: start,
    endTime: end,
    owner,
    host,
    endedAt: now,
    recorded: input.recorded ?? previous?.recorded ?? true,
    recordingReadyAt: previous?.recordingReadyAt ?? now + readyAfter,
    minuteToken: previous?.minuteToken ?? newMinuteToken(),
    mediaSizeBytes: previous?.mediaSizeBytes ?? size,
    eventId: newEventId(),
  };
  family.meetings.add(meeting);

  const envelope = meetingEndedEvent(meeting, {
    appId,
    tenantKey: directory.tenantKey,
    verificationToken: o.verificationToken,
    createTimeMs: now,
    grants: fieldGrants(family.state.appScopes),
  });
  const channels: DeliveryChannel[] = delivery === "both"
    ? ["webhook", "ws"]
    : delivery === "auto"
    ? [family.hub.openCount(appId) > 0 ? "ws" : "webhook"]
    : [delivery];
  const payload = JSON.stringify(envelope);
  const started: { id: string; channel: DeliveryChannel }[] = [];
  const duplicate = input.duplicate ?? o.duplicateEvents;
  for (const channel of channels) {
    const init = {
      eventId: meeting.eventId,
      eventType: "vc.meeting.all_meeting_ended_v1",
      channel,
      payload,
      appId,
      url: input.webhook_url,
      corruptSignature: input.corrupt_signature,
      chunks,
    };
    const first = engine.start(init);
    started.push({ id: first.id, channel });
    if (duplicate) {
      const second = engine.start({ ...init, duplicateOf: first.id }, first.id);
      started.push({ id: second.id, channel });
    }
  }
  await Promise.resolve();
  const wire = (envelope.event as Record<string, unknown>).meeting as Record<string, unknown>;
  return {
    meeting: wire,
    event_id: meeting.eventId,
    minute_token: meeting.minuteToken,
    recording_url: recordingUrl(meeting),
    recording_ready_at: meeting.recorded ? meeting.recordingReadyAt : undefined,
    deliveries: started,
  };
}
