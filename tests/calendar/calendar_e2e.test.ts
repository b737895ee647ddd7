/** Calendar v4 events (the extension example) against the sandbox. */
import assert from "node:assert/strict";
import { CalendarApi } from "../../lib/calendar/mod.ts";
import { BadRequestError, NotFoundError, ParamError } from "../../lib/errors/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { SANDBOX_CALENDAR_ID } from "../../sandbox/calendar/routes.ts";
import { withDocs } from "../docx/_env.ts";

const T = (iso: string) => new Date(iso);

Deno.test("calendar: create events (idempotent), list them in a window across pages", async () => {
  await withDocs({}, async ({ http, sandbox }) => {
    const cal = new CalendarApi(http());
    const first = await cal.createEvent(SANDBOX_CALENDAR_ID, {
      summary: "周会",
      description: "每周一",
      start: T("2026-12-07T02:00:00Z"),
      end: T("2026-12-07T03:00:00Z"),
    }, { idempotencyKey: "k-1" });
    assert.equal(first.summary, "周会");
    assert.equal(first.startMs, Date.parse("2026-12-07T02:00:00Z"));
    const again = await cal.createEvent(SANDBOX_CALENDAR_ID, {
      summary: "周会",
      start: T("2026-12-07T02:00:00Z"),
      end: T("2026-12-07T03:00:00Z"),
    }, { idempotencyKey: "k-1" });
    assert.equal(again.eventId, first.eventId, "a retried create with the same key is the same event");
    const allDay = await cal.createEvent(SANDBOX_CALENDAR_ID, {
      summary: "团建",
      start: { date: "2026-12-10" },
      end: { date: "2026-12-11" },
    });
    assert.equal(allDay.startDate, "2026-12-10");
    for (let i = 0; i < 60; i++) {
      await cal.createEvent(SANDBOX_CALENDAR_ID, {
        summary: `一对一 ${i}`,
        start: new Date(Date.parse("2027-01-01T00:00:00Z") + i * 3600_000),
        end: new Date(Date.parse("2027-01-01T00:30:00Z") + i * 3600_000),
      });
    }
    const december = [];
    for await (
      const e of cal.listEvents(SANDBOX_CALENDAR_ID, { from: T("2026-12-01"), to: T("2027-01-01") })
    ) {
      december.push(e.summary);
    }
    assert.deepEqual(december, ["周会", "团建"]);
    const all = [];
    for await (const e of cal.listEvents(SANDBOX_CALENDAR_ID, { pageSize: 50 })) all.push(e);
    assert.equal(all.length, 62);
    const pages = sandbox.journal.filter("calendar_event_list").slice(-2);
    assert.equal(new URLSearchParams(pages[1].query).get("page_token"), "p50");
  });
});

Deno.test("calendar: documented refusals are typed; input checked before any request", async () => {
  await withDocs({}, async ({ http }) => {
    const cal = new CalendarApi(http());
    await assert.rejects(
      cal.createEvent("feishu.cn_unknown@group.calendar.feishu.cn", {
        summary: "x",
        start: T("2026-12-07T02:00:00Z"),
        end: T("2026-12-07T03:00:00Z"),
      }),
      (e) => e instanceof NotFoundError && e.code === 191000,
    );
    const raw = await http().request({
      method: "POST",
      path: `/open-apis/calendar/v4/calendars/${encodeURIComponent(SANDBOX_CALENDAR_ID)}/events`,
      body: { summary: "x", start_time: { timestamp: "100" }, end_time: { timestamp: "50" } },
    }).catch((e) => e);
    assert.ok(raw instanceof BadRequestError && raw.code === 190002);
  });
  let calls = 0;
  const cal = new CalendarApi(
    new LarkHttp({ baseUrl: "http://127.0.0.1:9", fetch: () => (calls++, Promise.reject(new Error("x"))) }),
  );
  const field = (f: string) => (e: unknown) => e instanceof ParamError && e.field === f;
  const ok = { summary: "x", start: T("2026-12-07T02:00:00Z"), end: T("2026-12-07T03:00:00Z") };
  await assert.rejects(cal.createEvent("", ok), field("calendarId"));
  await assert.rejects(cal.createEvent("a/b", ok), field("calendarId"));
  await assert.rejects(cal.createEvent("c", { ...ok, summary: "" }), field("summary"));
  await assert.rejects(cal.createEvent("c", { ...ok, end: ok.start }), field("end"));
  await assert.rejects(cal.createEvent("c", { ...ok, start: { date: "2026/12/01" } }), field("start"));
  await assert.rejects(cal.createEvent("c", { ...ok, start: new Date("nope") }), field("start"));
  await assert.rejects(cal.createEvent("c", { ...ok, visibility: "secret" as never }), field("visibility"));
  await assert.rejects(cal.listEvents("c", { pageSize: 10 }).next(), field("pageSize"));
  await assert.rejects(cal.listEvents("c", { from: ok.end, to: ok.start }).next(), field("to"));
  assert.equal(calls, 0);
});
