/**
 * Calendar v4 events (open.feishu.cn/document/server-docs/calendar-v4/calendar-event/create and …/list),
 * tenant token:
 * - `POST /open-apis/calendar/v4/calendars/:calendar_id/events?idempotency_key=`
 *   `{summary?, description?, start_time{timestamp|date, timezone?}, end_time{…}, visibility?, need_notification?}`
 *   → `data.event` (same idempotency key → the same event);
 * - `GET …/events?page_size (50–1000, default 500)&page_token&start_time&end_time` (Unix seconds)
 *   → `data.{has_more, page_token, items[]}`.
 *
 * The sandbox has one shared calendar, {@linkcode SANDBOX_CALENDAR_ID}. Codes (the
 * pages' error table): 190002 invalid params [400], 191000 calendar not found [404];
 * page bounds and limits UNCONFIRMED (sandbox/UNCONFIRMED.md).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit, requireTenantToken } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { newToken } from "../docx/store.ts";
import type { SandboxState } from "../state.ts";
import { CALENDAR_EVENTS_PATH } from "./endpoints.ts";

/** The calendar every sandbox app can use. */
export const SANDBOX_CALENDAR_ID = "feishu.cn_sandbox0calendar0000@group.calendar.feishu.cn";

interface StoredEvent {
  event: Record<string, unknown>;
  /** Sort/filter keys, Unix seconds. */
  start: number;
  end: number;
}

interface CalendarFamily {
  events: StoredEvent[];
  byKey: Map<string, StoredEvent>;
}

function calendarFamily(state: SandboxState): CalendarFamily {
  let fam = state.families.get("calendar") as CalendarFamily | undefined;
  if (!fam) {
    const created: CalendarFamily = { events: [], byKey: new Map() };
    fam = created;
    state.families.set("calendar", created);
    state.onReset(() => {
      created.events.length = 0;
      created.byKey.clear();
    });
  }
  return fam;
}

/** Register the calendar endpoints. */
export function registerCalendarRoutes(app: SandboxApp, state: SandboxState): void {
  const fam = calendarFamily(state);
  app.post(CALENDAR_EVENTS_PATH, endpoint(state, "calendar_event_create"), (c) => create(c, state, fam));
  app.get(CALENDAR_EVENTS_PATH, endpoint(state, "calendar_event_list"), (c) => list(c, state, fam));
}

function guard(c: SandboxContext, state: SandboxState): Response | undefined {
  const caller = requireTenantToken(c, state);
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, state, caller.appId);
  if (limited) return limited;
  if (c.req.param("calendar_id") !== SANDBOX_CALENDAR_ID) {
    return openApiError(c, state.clock, 404, 191000, "calendar not found");
  }
  return undefined;
}

const invalid = (c: SandboxContext, state: SandboxState, what: string) =>
  openApiError(c, state.clock, 400, 190002, `invalid parameters in request: ${what}`);

/** Seconds of an event time, or undefined when malformed. */
function seconds(t: unknown): number | undefined {
  if (!t || typeof t !== "object") return undefined;
  const { timestamp, date } = t as { timestamp?: unknown; date?: unknown };
  if (typeof timestamp === "string" && /^\d{1,12}$/.test(timestamp)) return Number(timestamp);
  if (typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date)) {
    const ms = Date.parse(`${date}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : ms / 1000;
  }
  return undefined;
}

async function create(c: SandboxContext, state: SandboxState, fam: CalendarFamily): Promise<Response> {
  const refused = guard(c, state);
  if (refused) return refused;
  let b: Record<string, unknown>;
  try {
    b = await c.req.json();
  } catch {
    return invalid(c, state, "body");
  }
  const key = c.req.query("idempotency_key");
  const earlier = key ? fam.byKey.get(key) : undefined;
  if (earlier) return sendJson(c, state.clock, { code: 0, msg: "success", data: { event: earlier.event } });
  if (b.summary !== undefined && (typeof b.summary !== "string" || [...b.summary].length > 1000)) {
    return invalid(c, state, "summary");
  }
  if (
    b.description !== undefined && (typeof b.description !== "string" || [...b.description].length > 40960)
  ) {
    return invalid(c, state, "description");
  }
  const start = seconds(b.start_time);
  const end = seconds(b.end_time);
  if (start === undefined) return invalid(c, state, "start_time");
  if (end === undefined || end <= start) return invalid(c, state, "end_time");
  const id = `${crypto.randomUUID()}_0`;
  const event = {
    event_id: id,
    organizer_calendar_id: SANDBOX_CALENDAR_ID,
    summary: b.summary ?? "",
    description: b.description ?? "",
    start_time: b.start_time,
    end_time: b.end_time,
    visibility: b.visibility ?? "default",
    status: "confirmed",
    is_exception: false,
    create_time: String(Math.floor(state.clock.now() / 1000)),
    app_link: `https://applink.feishu.cn/client/calendar/event/detail?calendarId=${
      newToken("", 8)
    }&key=${id}`,
  };
  const stored = { event, start, end };
  fam.events.push(stored);
  if (key) fam.byKey.set(key, stored);
  return sendJson(c, state.clock, { code: 0, msg: "success", data: { event } });
}

function list(c: SandboxContext, state: SandboxState, fam: CalendarFamily): Response {
  const refused = guard(c, state);
  if (refused) return refused;
  const sizeText = c.req.query("page_size");
  const size = sizeText === undefined ? 500 : Number(sizeText);
  if (!Number.isInteger(size) || size < 50 || size > 1000) return invalid(c, state, "page_size");
  const from = c.req.query("start_time");
  const to = c.req.query("end_time");
  if ((from !== undefined && !/^\d+$/.test(from)) || (to !== undefined && !/^\d+$/.test(to))) {
    return invalid(c, state, "start_time/end_time");
  }
  const tokenText = c.req.query("page_token");
  const startAt = tokenText ? Number(tokenText.replace(/^p/, "")) : 0;
  if (!Number.isInteger(startAt) || startAt < 0) return invalid(c, state, "page_token");
  const matching = fam.events
    .filter((e) => (from === undefined || e.end > Number(from)) && (to === undefined || e.start < Number(to)))
    .sort((a, b) => a.start - b.start);
  const items = matching.slice(startAt, startAt + size).map((e) => e.event);
  const more = startAt + size < matching.length;
  return sendJson(c, state.clock, {
    code: 0,
    msg: "success",
    data: { has_more: more, items, ...(more ? { page_token: `p${startAt + size}` } : {}) },
  });
}
