import assert from "node:assert/strict";
import { DEFAULT_SESSION, ENDPOINTS } from "../../sandbox/mod.ts";
import { COOPERATION_SEARCH_PATH, exportFamily } from "../../sandbox/scenarios/export/mod.ts";
import { type Answer, postJson, withSandbox } from "./_helpers.ts";

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const range = (start: string, end: string): [number, number] => [
  at(`${start}T00:00:00.000`),
  at(`${end}T23:59:59.999`),
];
const options = { export: { recordCount: 3000, endDate: "2025-06-30", deliveryDelayMs: 0 } };

function search(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  session: string | null = DEFAULT_SESSION,
): Promise<Answer> {
  const cookie: Record<string, string> = session === null ? {} : { cookie: `session=${session}` };
  return postJson(url + COOPERATION_SEARCH_PATH, body, { "timezone-offset": "-480", ...cookie, ...headers });
}

Deno.test("export search: the list endpoint is registered in the export family", () => {
  const info = ENDPOINTS.find((e) => e.name === "cooperation_search");
  assert.ok(info);
  assert.deepEqual([info.family, info.method, info.path], ["clm", "POST", COOPERATION_SEARCH_PATH]);
  assert.equal(COOPERATION_SEARCH_PATH, "/clm/api/cooperation/searchCooperationRecords");
});

Deno.test("export search: total equals what the export declares; the page is the first records", async () => {
  await withSandbox(options, async ({ url, sandbox }) => {
    const d = exportFamily(sandbox.state).dataset;
    for (
      const [s, e] of [["2023-03-01", "2023-03-07"], ["2024-02-29", "2024-02-29"], [
        "2022-01-01",
        "2025-06-30",
      ]]
    ) {
      const [from, to] = range(s, e);
      const a = await search(url, {
        keyword: "",
        searchTabEnumCode: 0,
        searchCooperationByCreateTime: [from, to],
        pageNum: 1,
        pageSize: 1,
      });
      assert.equal(a.status, 200);
      assert.deepEqual([a.body.code, a.body.message], [0, "success"]);
      assert.equal(a.body.data.total, d.count(from, to), `${s}..${e}`);
      const first = d.take(from, to, 1)[0];
      assert.equal(a.body.data.list.length, first ? 1 : 0);
      if (first) {
        assert.equal(a.body.data.list[0].recordId, first.id);
        assert.equal(a.body.data.list[0].createTime, first.createTime);
        assert.equal(a.body.data.list[0].contractNumber, first.fields["合同编号"]);
      }
    }
    assert.equal(exportFamily(sandbox.state).tasks.length, 0, "a list request starts no export");
    assert.equal(sandbox.journal.count("cooperation_search"), 3, "journaled under its own name");
    assert.equal(sandbox.journal.count("cooperation_export"), 0);
  });
});

Deno.test("export search: paging, defaults and the keyword filter", async () => {
  await withSandbox(options, async ({ url, sandbox }) => {
    const d = exportFamily(sandbox.state).dataset;
    const all = range("2023-01-01", "2023-03-31");
    const want = d.take(...all, 45).map((r) => r.id);
    const p1 = await search(url, { searchCooperationByCreateTime: all });
    assert.equal(p1.body.data.list.length, 20, "pageSize defaults to 20, pageNum to 1");
    assert.deepEqual(p1.body.data.list.map((x: { recordId: string }) => x.recordId), want.slice(0, 20));
    const p3 = await search(url, { searchCooperationByCreateTime: all, pageNum: 3, pageSize: 15 });
    assert.deepEqual(p3.body.data.list.map((x: { recordId: string }) => x.recordId), want.slice(30, 45));
    const past = await search(url, { searchCooperationByCreateTime: all, pageNum: 10_000, pageSize: 100 });
    assert.deepEqual([past.body.data.total, past.body.data.list], [d.count(...all), []]);
    const kw = await search(url, { keyword: "加急", searchCooperationByCreateTime: all, pageSize: 100 });
    assert.equal(kw.body.data.total, d.count(...all, "加急"));
    assert.ok(kw.body.data.total > 0 && kw.body.data.total < d.count(...all));
    assert.equal(kw.body.data.list.length, Math.min(100, kw.body.data.total));
  });
});

Deno.test("export search: bad bodies and paging answer HTTP 200 with code 400", async () => {
  await withSandbox(options, async ({ url }) => {
    const r = range("2023-01-01", "2023-01-07");
    const bodies: unknown[] = [
      {},
      [],
      { searchCooperationByCreateTime: [r[1], r[0]] },
      { searchCooperationByCreateTime: r, keyword: 5 },
      { searchCooperationByCreateTime: r, pageSize: 0 },
      { searchCooperationByCreateTime: r, pageSize: 101 },
      { searchCooperationByCreateTime: r, pageSize: "1" },
      { searchCooperationByCreateTime: r, pageNum: 0 },
      { searchCooperationByCreateTime: r, pageNum: 1.5 },
    ];
    for (const body of bodies) {
      const a = await search(url, body);
      assert.equal(a.status, 200, JSON.stringify(body));
      assert.equal(a.body.code, 400, JSON.stringify(body));
      assert.match(a.body.message, /^参数错误：/);
    }
  });
});

Deno.test("export search: session checked like the other CLM endpoints; faults and limits apply", async () => {
  await withSandbox(options, async ({ url, sandbox }) => {
    const body = { searchCooperationByCreateTime: range("2023-01-01", "2023-01-07"), pageSize: 1 };
    const none = await search(url, body, {}, null);
    assert.deepEqual([none.status, none.body.code], [401, 10001]);
    assert.equal((await search(url, body, {}, "stale")).status, 401);
    sandbox.faults.expireSessions();
    assert.equal((await search(url, body)).status, 401);
    sandbox.faults.setLoggedOutStyle("html_200");
    assert.match((await search(url, body)).headers.get("content-type") ?? "", /text\/html/);
    sandbox.faults.restoreSessions();
    assert.equal((await search(url, body)).body.code, 0);

    sandbox.faults.failNext("cooperation_search", 1, "error");
    const failed = await search(url, body);
    assert.deepEqual([failed.status, failed.body.code], [500, 500]);
    sandbox.rateLimits.set("cooperation_search", { perMinute: 1 });
    assert.equal((await search(url, body)).body.code, 0);
    const limited = await search(url, body);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.equal(sandbox.journal.count("cooperation_search"), 8);
  });
});
