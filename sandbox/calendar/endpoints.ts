/**
 * Endpoints of the calendar v4 family (open.feishu.cn/document/server-docs/calendar-v4/calendar-event/…).
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Path of the calendar events endpoints. */
export const CALENDAR_EVENTS_PATH = "/open-apis/calendar/v4/calendars/:calendar_id/events";

/** calendar endpoints. */
export const CALENDAR_ENDPOINTS = [
  {
    name: "calendar_event_create",
    family: "open_api",
    method: "POST",
    path: CALENDAR_EVENTS_PATH,
    title: "创建日程",
  },
  {
    name: "calendar_event_list",
    family: "open_api",
    method: "GET",
    path: CALENDAR_EVENTS_PATH,
    title: "获取日程列表",
  },
] as const satisfies readonly EndpointSpec[];

/** Limits: tier "1000/min & 50/s" (UNCONFIRMED for these two endpoints). */
export const CALENDAR_RATE_LIMITS = {
  calendar_event_create: { perMinute: 1000, perSecond: 50 },
  calendar_event_list: { perMinute: 1000, perSecond: 50 },
} as const;
