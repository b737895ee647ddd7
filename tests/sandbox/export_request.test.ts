import assert from "node:assert/strict";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { DEFAULT_SESSION } from "../../sandbox/mod.ts";
import { COOPERATION_EXPORT_PATH, exportFamily } from "../../sandbox/scenarios/export/mod.ts";
import { type Answer, postJson, withSandbox } from "./_helpers.ts";

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const range = (start: string, end: string): [number, number] => [
  at(`${start}T00:00:00.000`),
  at(`${end}T23:59:59.999`),
];
const options = { export: { recordCount: 3000, endDate: "2025-06-30", deliveryDelayMs: 0 } };

function exportCall(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  session: string | null = DEFAULT_SESSION,
): Promise<Answer> {
  const cookie: Record<string, string> = session === null ? {} : { cookie: `session=${session}` };
  return postJson(url + COOPERATION_EXPORT_PATH, body, { "timezone-offset": "-480", ...cookie, ...headers });
}

Deno.test("export request: total counts the records in the inclusive range", async () => {
  await withSandbox(options, async ({ url, sandbox }) => {
    const d = exportFamily(sandbox.state).dataset;
    for (
      const [s, e] of [["2023-03-01", "2023-03-07"], ["2024-02-29", "2024-02-29"], [
        "2022-01-01",
        "2025-06-30",
      ]]
    ) {
      const [from, to] = range(s, e);
      const a = await exportCall(url, {
        keyword: "",
        searchTabEnumCode: 0,
        searchCooperationByCreateTime: [from, to],
      });
      assert.equal(a.status, 200);
      assert.equal(a.body.code, 0);
      assert.equal(a.body.message, "success");
      assert.match(a.body.data.taskId, /^\d{19}$/);
      assert.equal(a.body.data.total, d.count(from, to), `${s}..${e}`);
    }
    const all = await exportCall(url, { searchCooperationByCreateTime: range("2022-01-01", "2025-06-30") });
    assert.equal(all.body.data.total, 3000);
    // Both ends are inclusive: a window of exactly one record's creation ms finds it.
    const r = d.take(...range("2023-03-01", "2023-03-31"), 1)[0];
    const one = await exportCall(url, { searchCooperationByCreateTime: [r.createTime, r.createTime] });
    assert.ok(one.body.data.total >= 1);
    assert.equal(sandbox.journal.count("cooperation_export"), 5);
  });
});

Deno.test("export request: keyword filters; searchTabEnumCode is accepted", async () => {
  await withSandbox(options, async ({ url, sandbox }) => {
    const all = range("2022-01-01", "2025-06-30");
    const a = await exportCall(url, {
      keyword: "加急",
      searchTabEnumCode: 3,
      searchCooperationByCreateTime: all,
    });
    assert.equal(a.body.code, 0);
    assert.ok(a.body.data.total > 0 && a.body.data.total < 3000);
    assert.equal(a.body.data.total, exportFamily(sandbox.state).dataset.count(...all, "加急"));
    const none = await exportCall(url, { keyword: "不存在的关键词", searchCooperationByCreateTime: all });
    assert.equal(none.body.data.total, 0);
  });
});

Deno.test("export request: bad bodies answer HTTP 200 with code 400", async () => {
  await withSandbox(options, async ({ url, sandbox }) => {
    const [from, to] = range("2023-01-01", "2023-01-07");
    const bodies: unknown[] = [
      {},
      [],
      { searchCooperationByCreateTime: [from] },
      { searchCooperationByCreateTime: [to, from] },
      { searchCooperationByCreateTime: [String(from), to] },
      { searchCooperationByCreateTime: [from, 1.5] },
      { searchCooperationByCreateTime: [from, to], keyword: 5 },
      { searchCooperationByCreateTime: [from, to], searchTabEnumCode: "0" },
    ];
    for (const body of bodies) {
      const a = await exportCall(url, body);
      assert.equal(a.status, 200, JSON.stringify(body));
      assert.equal(a.body.code, 400, JSON.stringify(body));
      assert.match(a.body.message, /^参数错误：/);
    }
    const notJson = await fetch(url + COOPERATION_EXPORT_PATH, {
      method: "POST",
      headers: { cookie: `session=${DEFAULT_SESSION}`, "content-type": "application/json" },
      body: "{nope",
    });
    assert.equal((await notJson.json()).code, 400);
    const badTz = await exportCall(url, { searchCooperationByCreateTime: [from, to] }, {
      "timezone-offset": "x",
    });
    assert.equal(badTz.body.code, 400);
    assert.equal(exportFamily(sandbox.state).tasks.length, 0, "no task for a refused call");
  });
});

Deno.test("export request: missing/expired session answers like the other CLM endpoints", async () => {
  await withSandbox(options, async ({ url, sandbox }) => {
    const body = { searchCooperationByCreateTime: range("2023-01-01", "2023-01-07") };
    const none = await exportCall(url, body, {}, null);
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 10001);
    assert.equal((await exportCall(url, body, {}, "stale")).status, 401);
    assert.equal((await exportCall(url, body)).body.code, 0);

    sandbox.faults.expireSessions();
    assert.equal((await exportCall(url, body)).status, 401);
    sandbox.faults.setLoggedOutStyle("redirect_302");
    const redirect = await fetch(url + COOPERATION_EXPORT_PATH, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: `session=${DEFAULT_SESSION}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    await redirect.body?.cancel();
    assert.equal(redirect.status, 302);
    assert.match(redirect.headers.get("location") ?? "", /\/accounts\/page\/login\?redirect_uri=/);
    sandbox.faults.setLoggedOutStyle("html_200");
    const html = await exportCall(url, body);
    assert.equal(html.status, 200);
    assert.match(html.headers.get("content-type") ?? "", /text\/html/);
    sandbox.faults.setLoggedOutStyle("json_200");
    assert.equal((await exportCall(url, body)).body.code, 5);

    sandbox.faults.restoreSessions();
    assert.equal((await exportCall(url, body)).body.code, 0);
    assert.equal(exportFamily(sandbox.state).tasks.length, 2);
  });
});

Deno.test("export request: the notice dates follow the Timezone-Offset of the call", async () => {
  await withSandbox(options, async ({ url, sandbox }) => {
    // 2023-03-01 00:00 .. 2023-03-07 23:59:59.999 in UTC (offset 0).
    const from = Date.parse("2023-03-01T00:00:00Z"), to = Date.parse("2023-03-07T23:59:59.999Z");
    const a = await exportCall(url, { searchCooperationByCreateTime: [from, to] }, {
      "timezone-offset": "0",
    });
    assert.equal(a.body.code, 0);
    const task = exportFamily(sandbox.state).tasks[0];
    assert.equal(task.tzOffset, 0);
    assert.equal(task.startDate, "2023-03-01");
    assert.equal(task.endDate, "2023-03-07");
    // The same instants seen from UTC+8 end on 03-08.
    await exportCall(url, { searchCooperationByCreateTime: [from, to] });
    assert.equal(exportFamily(sandbox.state).tasks[1].endDate, "2023-03-08");
  });
});

Deno.test("export request: injected faults and rate limits use the endpoint name", async () => {
  // A fake clock 10 s into a minute: the per-minute window cannot roll over between the two calls.
  const clock = new FakeClock(Date.parse("2025-07-01T08:00:10Z"));
  await withSandbox({ ...options, clock }, async ({ url, sandbox }) => {
    const body = { searchCooperationByCreateTime: range("2023-01-01", "2023-01-07") };
    sandbox.faults.failNext("cooperation_export", 1, "error");
    const failed = await exportCall(url, body);
    assert.equal(failed.status, 500);
    assert.equal(failed.body.code, 500);
    sandbox.rateLimits.set("cooperation_export", { perMinute: 1 });
    assert.equal((await exportCall(url, body)).body.code, 0);
    const limited = await exportCall(url, body);
    assert.equal(limited.status, 429);
    assert.equal(Number(limited.headers.get("retry-after")), 50, "the rest of the minute");
    await clock.tick(50_000);
    assert.equal((await exportCall(url, body)).body.code, 0, "the next minute has a fresh budget");
  });
});
