import type { AuthProvider } from "../auth/auth_provider.ts";
import { ParamError } from "../errors/param_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";
import { paginate } from "../http/paginate.ts";
import { optionalText, requireInt, requireOneOf, requireText } from "../validate/checks.ts";
import "./calendar_codes.ts";

/** Rate bucket of the calendar event APIs (tier "1000/min & 50/s"; UNCONFIRMED: sandbox/UNCONFIRMED.md). */
export const CALENDAR_BUCKETS = { calendar_event: { perMinute: 1000, perSecond: 50 } } as const;

/** An event time: a moment, or a whole day (`YYYY-MM-DD`). */
export type EventTime = Date | { date: string };

/** An event as read back. */
export interface CalendarEvent {
  /** Event id. */
  eventId: string;
  /** Title. */
  summary: string;
  /** Description. */
  description?: string;
  /** Start: epoch ms for timed events. */
  startMs?: number;
  /** End: epoch ms for timed events. */
  endMs?: number;
  /** All-day start date. */
  startDate?: string;
  /** All-day end date. */
  endDate?: string;
  /** `confirmed`, `tentative`, `cancelled`. */
  status?: string;
  /** Link to open the event in Feishu. */
  appLink?: string;
}

/** A new event. */
export interface NewEvent {
  /** Title (≤ 1000 chars). */
  summary: string;
  /** Description (≤ 40 960 chars). */
  description?: string;
  /** Start. */
  start: EventTime;
  /** End (after the start). */
  end: EventTime;
  /** IANA time zone of the times (default `Asia/Shanghai`). */
  timezone?: string;
  /** Who can see the details. */
  visibility?: "default" | "public" | "private";
  /** Send the attendees a bot notification (default true on Feishu). */
  needNotification?: boolean;
}

/** Options of one call. */
export interface CalendarCallOptions {
  /** Credentials; default the client's. */
  auth?: AuthProvider;
  /** Cancel. */
  signal?: AbortSignal;
}

/**
 * Calendar v4 events: list (paged, async iterator) and create. Built the
 * documented way to extend the core: `LarkHttp.request` for calls,
 * `paginate` for pages, a rate bucket, `defineErrorCodes` for its codes and
 * `lib/validate` checks before any request.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * declare const calendarId: string;
 * const cal = new CalendarApi(http);
 * const ev = await cal.createEvent(calendarId, { summary: "周会", start: new Date("2026-12-07T02:00:00Z"), end: new Date("2026-12-07T03:00:00Z") });
 * for await (const e of cal.listEvents(calendarId, { from: new Date("2026-12-01"), to: new Date("2026-12-31") })) console.log(e.summary);
 * ```
 */
export class CalendarApi {
  #http: LarkHttp;

  /** Use `http`. */
  constructor(http: LarkHttp) {
    this.#http = http;
  }

  /** Events of a calendar (`GET /open-apis/calendar/v4/calendars/:calendar_id/events`), optionally in a time window. */
  async *listEvents(
    calendarId: string,
    o: CalendarCallOptions & { from?: Date; to?: Date; pageSize?: number } = {},
  ): AsyncGenerator<CalendarEvent> {
    const id = checkCalendarId(calendarId);
    const pageSize = requireInt("pageSize", o.pageSize ?? 500, 50, 1000);
    const from = o.from === undefined ? undefined : seconds("from", o.from);
    const to = o.to === undefined ? undefined : seconds("to", o.to);
    if (from !== undefined && to !== undefined && to <= from) {
      throw new ParamError("to", "结束时间应晚于开始时间");
    }
    const pages = paginate<Record<string, unknown>>(this.#http, {
      path: `/open-apis/calendar/v4/calendars/${encodeURIComponent(id)}/events`,
      query: { start_time: from, end_time: to },
      auth: o.auth,
      signal: o.signal,
      bucket: "calendar_event",
      step: "calendar_event_list",
      ids: { calendar_id: id },
    }, { pageSize });
    for await (const item of pages) yield toEvent(item);
  }

  /** Create an event (`POST …/events`); `idempotencyKey` makes a retried create safe. */
  async createEvent(
    calendarId: string,
    ev: NewEvent,
    o: CalendarCallOptions & { idempotencyKey?: string } = {},
  ): Promise<CalendarEvent> {
    const id = checkCalendarId(calendarId);
    if (!ev || typeof ev !== "object") throw new ParamError("event", "缺少日程信息");
    const summary = requireText("summary", ev.summary, 1000);
    const description = optionalText("description", ev.description, 40960);
    const timezone = ev.timezone ?? "Asia/Shanghai";
    requireText("timezone", timezone, 64);
    const start = eventTime("start", ev.start, timezone);
    const end = eventTime("end", ev.end, timezone);
    if (ordinal(end) <= ordinal(start)) throw new ParamError("end", "结束时间应晚于开始时间");
    const visibility = ev.visibility === undefined
      ? undefined
      : requireOneOf("visibility", ev.visibility, ["default", "public", "private"] as const);
    const { data } = await this.#http.request<{ event?: Record<string, unknown> }>({
      method: "POST",
      path: `/open-apis/calendar/v4/calendars/${encodeURIComponent(id)}/events`,
      query: { idempotency_key: o.idempotencyKey ?? crypto.randomUUID() },
      body: {
        summary,
        description,
        start_time: start,
        end_time: end,
        visibility,
        need_notification: ev.needNotification,
      },
      auth: o.auth,
      signal: o.signal,
      bucket: "calendar_event",
      step: "calendar_event_create",
      ids: { calendar_id: id },
    });
    return toEvent(data?.event ?? {});
  }
}

function checkCalendarId(id: unknown): string {
  const v = requireText("calendarId", id, 256);
  if (/[\s/?#]/.test(v)) throw new ParamError("calendarId", "不能包含空格、/、? 或 #");
  return v;
}

function seconds(field: string, d: Date): string {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new ParamError(field, "应为有效的 Date");
  return String(Math.floor(d.getTime() / 1000));
}

function eventTime(field: string, t: EventTime, timezone: string): Record<string, string> {
  if (t instanceof Date) return { timestamp: seconds(field, t), timezone };
  if (t && typeof t === "object" && typeof t.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(t.date)) {
    return { date: t.date, timezone };
  }
  throw new ParamError(field, '应为 Date 或 {date: "YYYY-MM-DD"}');
}

function ordinal(t: Record<string, string>): number {
  return t.timestamp !== undefined ? Number(t.timestamp) : Date.parse(`${t.date}T00:00:00Z`) / 1000;
}

function toEvent(e: Record<string, unknown>): CalendarEvent {
  const st = (e.start_time ?? {}) as Record<string, unknown>;
  const en = (e.end_time ?? {}) as Record<string, unknown>;
  const ms = (v: unknown) => typeof v === "string" && v !== "" ? Number(v) * 1000 : undefined;
  const s = (v: unknown) => typeof v === "string" && v !== "" ? v : undefined;
  return {
    eventId: String(e.event_id ?? ""),
    summary: String(e.summary ?? ""),
    description: s(e.description),
    startMs: ms(st.timestamp),
    endMs: ms(en.timestamp),
    startDate: s(st.date),
    endDate: s(en.date),
    status: s(e.status),
    appLink: s(e.app_link),
  };
}
