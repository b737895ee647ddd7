import { BadRequestError } from "../errors/bad_request_error.ts";
import type { LarkEvent } from "./lark_event.ts";

/** Event type of "a meeting in the tenant ended". */
export const MEETING_ENDED_EVENT = "vc.meeting.all_meeting_ended_v1";

/** A user's ids as Feishu sends them (`{open_id, union_id, user_id}`). */
export interface EventUserIds {
  /** App-scoped open id (`ou_…`). */
  openId?: string;
  /** Union id (`on_…`). */
  unionId?: string;
  /** Tenant user id (needs the employee-id scope). */
  userId?: string;
}

/** The fields of `vc.meeting.all_meeting_ended_v1` the archiver needs. */
export interface MeetingEnded {
  /** Event id (de-duplication key). */
  eventId: string;
  /** Meeting id (`event.meeting.id`), used for the recording API. */
  meetingId: string;
  /** Meeting topic (may be empty). */
  topic: string;
  /** 9-digit meeting number. */
  meetingNo?: string;
  /** Start, unix seconds as sent (a string). */
  startTime: string;
  /** End, unix seconds as sent (a string). */
  endTime: string;
  /** Start in ms since the epoch. */
  startMs: number;
  /** End in ms since the epoch. */
  endMs: number;
  /** Meeting owner (falls back to the host when no owner is sent). */
  owner: EventUserIds;
  /** Host, when sent. */
  host?: EventUserIds;
  /** Who ended it, when sent. */
  operator?: EventUserIds;
  /** 1 calendar, 2 instant, 3 interview, 4 open platform, 100 other. */
  meetingSource?: number;
  /** Calendar event id, when the meeting came from a calendar event. */
  calendarEventId?: string;
  /** Tenant key. */
  tenantKey?: string;
}

/**
 * Read a `vc.meeting.all_meeting_ended_v1` event. Throws `BadRequestError`
 * when the event is of another type or lacks the meeting id, times or owner.
 *
 * @example
 * ```ts
 * import type { StoredEvent } from "./event_store.ts";
 *
 * declare const stored: StoredEvent;
 * if (stored.event.eventType === MEETING_ENDED_EVENT) {
 *   const m = meetingEnded(stored.event); // m.meetingId, m.owner.openId, m.startMs …
 * }
 * ```
 */
export function meetingEnded(event: LarkEvent): MeetingEnded {
  const bad = (what: string) =>
    new BadRequestError(`${MEETING_ENDED_EVENT}: ${what}`, {
      hint:
        `会议结束事件内容不完整（${what}），已跳过；请在开发者后台确认已订阅 vc.meeting.all_meeting_ended_v1。`,
    });
  if (event.eventType !== MEETING_ENDED_EVENT) throw bad(`unexpected event type ${event.eventType}`);
  const meeting = obj(event.event.meeting);
  if (!meeting) throw bad("missing meeting");
  const meetingId = str(meeting.id);
  if (!meetingId) throw bad("missing meeting.id");
  const startTime = str(meeting.start_time);
  const endTime = str(meeting.end_time);
  const startS = Number(startTime);
  const endS = Number(endTime);
  if (!startTime || !endTime || !Number.isFinite(startS) || !Number.isFinite(endS)) {
    throw bad("missing start_time/end_time");
  }
  const host = userIds(meeting.host_user);
  const owner = userIds(meeting.owner) ?? host;
  if (!owner) throw bad("missing owner");
  const source = Number(meeting.meeting_source);
  return {
    eventId: event.eventId,
    meetingId,
    topic: str(meeting.topic) ?? "",
    meetingNo: str(meeting.meeting_no),
    startTime,
    endTime,
    startMs: startS * 1000,
    endMs: endS * 1000,
    owner,
    host,
    operator: userIds(event.event.operator),
    meetingSource: Number.isFinite(source) && meeting.meeting_source !== undefined ? source : undefined,
    calendarEventId: str(meeting.calendar_event_id),
    tenantKey: event.tenantKey,
  };
}

function userIds(v: unknown): EventUserIds | undefined {
  const o = obj(v);
  const id = obj(o?.id) ?? o;
  if (!id) return undefined;
  const ids: EventUserIds = { openId: str(id.open_id), unionId: str(id.union_id), userId: str(id.user_id) };
  return ids.openId || ids.unionId || ids.userId ? ids : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return typeof v === "string" && v !== "" ? v : undefined;
}
