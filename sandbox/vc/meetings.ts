/**
 * Meetings ended through the sandbox, each with its future recording and
 * minute, and the wire shapes of the meeting-ended event and the minute.
 * Ids are random (not seeded) so that a client's durable store never sees
 * the same meeting or event id again after the sandbox restarts.
 *
 * @module
 */
import { ALL_FIELDS, type FieldGrants, withoutUngrantedFields } from "../auth/scopes.ts";
import { randomHex } from "../events/event_crypto.ts";
import { type SandboxUser, userIds } from "../contact/directory.ts";

/** One ended meeting with its recording and minute. */
export interface SandboxMeeting {
  /** Meeting id (19 digits). */
  id: string;
  /** Topic. */
  topic: string;
  /** Meeting number (9 digits). */
  meetingNo: string;
  /** Start, unix seconds. */
  startTime: number;
  /** End, unix seconds. */
  endTime: number;
  /** Owner (the recording's and minute's owner). */
  owner: SandboxUser;
  /** Host. */
  host: SandboxUser;
  /** When the sandbox ended it, ms (sandbox clock). */
  endedAt: number;
  /** `false`: the meeting was not recorded (the recording endpoint answers 121004 for good). */
  recorded: boolean;
  /** When the recording becomes available, ms (sandbox clock). */
  recordingReadyAt: number;
  /** Minute token (24 lowercase letters/digits). */
  minuteToken: string;
  /** Recording size, bytes. */
  mediaSizeBytes: number;
  /** `event_id` of the meeting-ended event. */
  eventId: string;
}

/** Host of the minutes URLs (the tenant's own host in reality). */
export const MINUTES_URL_PREFIX = "https://meetings.feishu.cn/minutes/";

const TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A new minute token: `obcn` + 20 random lowercase letters/digits (24 chars, like Feishu's). */
export function newMinuteToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return "obcn" + Array.from(bytes, (b) => TOKEN_CHARS[b % TOKEN_CHARS.length]).join("");
}

/** A new meeting id (19 digits, first one non-zero). */
export function newMeetingId(): string {
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(18)), (b) => String(b % 10)).join("");
  return `7${digits}`;
}

/** A new 9-digit meeting number. */
export function newMeetingNo(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(9)),
    (b, i) => String(i === 0 ? 1 + (b % 9) : b % 10),
  )
    .join("");
}

/** A new `event_id` (32 hex digits). */
export function newEventId(): string {
  return randomHex(32);
}

/** The meetings ended so far. */
export class MeetingStore {
  readonly #byId = new Map<string, SandboxMeeting>();
  readonly #byToken = new Map<string, SandboxMeeting>();

  /** Add (or replace) a meeting. */
  add(meeting: SandboxMeeting): void {
    const old = this.#byId.get(meeting.id);
    if (old) this.#byToken.delete(old.minuteToken);
    this.#byId.set(meeting.id, meeting);
    this.#byToken.set(meeting.minuteToken, meeting);
  }

  /** The meeting with this id. */
  byId(id: string): SandboxMeeting | undefined {
    return this.#byId.get(id);
  }

  /** The meeting whose minute has this token. */
  byMinuteToken(token: string): SandboxMeeting | undefined {
    return this.#byToken.get(token);
  }

  /** Every meeting, oldest first. */
  get all(): SandboxMeeting[] {
    return [...this.#byId.values()];
  }

  /** Forget every meeting. */
  clear(): void {
    this.#byId.clear();
    this.#byToken.clear();
  }
}

/** The recording URL of a meeting. */
export function recordingUrl(m: SandboxMeeting): string {
  return MINUTES_URL_PREFIX + m.minuteToken;
}

/** Duration of a meeting's recording, ms. */
export function durationMs(m: SandboxMeeting): number {
  return Math.max(1, m.endTime - m.startTime) * 1000;
}

function participant(user: SandboxUser, grants: FieldGrants): Record<string, unknown> {
  // user_role 1 = host/owner, user_type 1 = Lark user (event page field list).
  return { id: withoutUngrantedFields(userIds(user), grants), user_role: 1, user_type: 1 };
}

/** Schema 2.0 envelope of `vc.meeting.all_meeting_ended_v1` for a meeting. */
export function meetingEndedEvent(
  m: SandboxMeeting,
  ctx: {
    appId: string;
    tenantKey: string;
    verificationToken: string;
    createTimeMs: number;
    /** Fields the app may see (`user_id` needs `contact:user.employee_id:readonly`); default all. */
    grants?: FieldGrants;
  },
): Record<string, unknown> {
  const grants = ctx.grants ?? ALL_FIELDS;
  return {
    schema: "2.0",
    header: {
      event_id: m.eventId,
      event_type: "vc.meeting.all_meeting_ended_v1",
      // VC event pages show 13-digit (ms) create_time (open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/request-url-configuration-case).
      create_time: String(ctx.createTimeMs),
      token: ctx.verificationToken,
      app_id: ctx.appId,
      tenant_key: ctx.tenantKey,
    },
    event: {
      meeting: {
        id: m.id,
        topic: m.topic,
        meeting_no: m.meetingNo,
        meeting_source: 2, // 2 = instant meeting
        start_time: String(m.startTime),
        end_time: String(m.endTime),
        host_user: participant(m.host, grants),
        owner: participant(m.owner, grants),
        calendar_event_id: "",
      },
      operator: participant(m.owner, grants),
    },
  };
}
