/**
 * The sandbox's calendar events (open.feishu.cn/document/server-docs/calendar-v4/
 * calendar-event/create, …/list): 191000 unknown calendar [404], 190002 invalid
 * parameters [400] naming what, an idempotency key that answers the first
 * event, all-day (`date`) times, and time-window filtering with page tokens.
 */
import assert from "node:assert/strict";
import { SANDBOX_CALENDAR_ID } from "../../sandbox/calendar/routes.ts";
import { type Answer, call, token, withSandbox } from "./_helpers.ts";

const EVENTS = `/open-apis/calendar/v4/calendars/${encodeURIComponent(SANDBOX_CALENDAR_ID)}/events`;

function refused(a: Answer, status: number, code: number, what?: RegExp) {
  assert.equal(a.status, status, a.text);
  assert.equal(a.body.code, code, a.text);
  if (what) assert.match(a.body.msg, what);
}

Deno.test("calendar sandbox: bad events are 190002 naming the field; unknown calendar 191000; idempotency key; list window and pages", async () => {
  await withSandbox({ defaultRateLimits: false }, async ({ url }) => {
    const bearer = await token(url);
    const send = (method: string, path: string, body?: string | Record<string, unknown>) =>
      call(url + path, {
        method,
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: typeof body === "string" ? body : body && JSON.stringify(body),
      });
    const at = (s: number) => ({ timestamp: String(s) });
    refused(await send("POST", "/open-apis/calendar/v4/calendars/nope/events", {}), 404, 191000);
    refused(await send("POST", EVENTS, "{"), 400, 190002, /body/);
    refused(
      await send("POST", EVENTS, { summary: 5, start_time: at(1), end_time: at(2) }),
      400,
      190002,
      /summary/,
    );
    refused(
      await send("POST", EVENTS, { summary: "会".repeat(1001), start_time: at(1), end_time: at(2) }),
      400,
      190002,
      /summary/,
    );
    refused(
      await send("POST", EVENTS, { description: [], start_time: at(1), end_time: at(2) }),
      400,
      190002,
      /description/,
    );
    refused(
      await send("POST", EVENTS, { start_time: { timestamp: "soon" }, end_time: at(2) }),
      400,
      190002,
      /start_time/,
    );
    refused(await send("POST", EVENTS, { start_time: "1", end_time: at(2) }), 400, 190002, /start_time/);
    refused(await send("POST", EVENTS, { start_time: at(5), end_time: at(5) }), 400, 190002, /end_time/);
    refused(
      await send("POST", EVENTS, { start_time: { date: "2026-13-45" }, end_time: at(5) }),
      400,
      190002,
      /start_time/,
    );

    const day = Date.UTC(2026, 0, 5) / 1000;
    const keyed = `${EVENTS}?idempotency_key=k-1`;
    const first = await send("POST", keyed, {
      summary: "周会",
      start_time: at(day + 3600),
      end_time: at(day + 7200),
    });
    const again = await send("POST", keyed, { summary: "别的", start_time: at(day), end_time: at(day + 60) });
    assert.equal(
      again.body.data.event.event_id,
      first.body.data.event.event_id,
      "the same key answers the first event",
    );
    assert.equal(again.body.data.event.summary, "周会");
    const allDay = await send("POST", EVENTS, {
      start_time: { date: "2026-01-06" },
      end_time: { date: "2026-01-07" },
    });
    assert.equal(allDay.body.code, 0, allDay.text);
    assert.equal(allDay.body.data.event.summary, "");
    for (let i = 0; i < 60; i++) {
      await send("POST", EVENTS, {
        summary: `e${i}`,
        start_time: at(day + 86400 * 3 + i),
        end_time: at(day + 86400 * 3 + i + 1),
      });
    }

    refused(await send("GET", `${EVENTS}?page_size=49`), 400, 190002, /page_size/);
    refused(await send("GET", `${EVENTS}?page_size=1001`), 400, 190002, /page_size/);
    refused(await send("GET", `${EVENTS}?start_time=yesterday`), 400, 190002, /start_time/);
    refused(await send("GET", `${EVENTS}?page_token=p-3`), 400, 190002, /page_token/);
    const window = await send("GET", `${EVENTS}?start_time=${day}&end_time=${day + 2 * 86400}`);
    assert.deepEqual(window.body.data.items.map((e: { summary: string }) => e.summary), ["周会", ""]);
    const page1 = await send("GET", `${EVENTS}?page_size=50`);
    assert.equal(page1.body.data.items.length, 50);
    assert.equal(page1.body.data.has_more, true);
    const page2 = await send("GET", `${EVENTS}?page_size=50&page_token=${page1.body.data.page_token}`);
    assert.equal(page2.body.data.items.length, 12);
    assert.equal(page2.body.data.has_more, false);
  });
});
