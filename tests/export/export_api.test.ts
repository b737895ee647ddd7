import assert from "node:assert/strict";
import { cookieAuth } from "../../lib/clm/cookie_auth.ts";
import {
  buildExportBody,
  EXPORT_COOPERATION_RECORDS_PATH,
  ExportApi,
  exportHeaders,
  exportRangeMs,
} from "../../lib/clm/export_api.ts";
import { SessionError } from "../../lib/errors/session_error.ts";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { RateLimiter } from "../../lib/rate_limit/rate_limiter.ts";

function client(answer: (req: Request) => Response | Promise<Response>, seen: Request[] = []) {
  const http = new LarkHttp({
    baseUrl: "https://contract.example",
    auth: cookieAuth("session=abc; lark_oapi_csrf_token=t"),
    fetch: async (input, init) => {
      const req = new Request(input as URL, init);
      seen.push(req.clone());
      return await answer(req);
    },
    retry: { retries: 0 },
    limiter: new RateLimiter({ buckets: { clm_export: { perMinute: 6000 } } }),
  });
  return new ExportApi(http, {
    headers: {
      "content-length": "12",
      "content-type": "application/json",
      cookie: "stale=1",
      connection: "keep-alive",
      "x-csrf-token": "t",
      "timezone-offset": "0",
      ":authority": "contract.feishu.cn",
    },
    bodyTemplate: {
      keyword: "旧",
      searchTabEnumCode: 2,
      pageSize: 20,
      searchCooperationByCreateTime: [0, 0],
    },
    filters: { keyword: "采购" },
    tzOffsetMinutes: -480,
  });
}

Deno.test("export api: day range in the configured zone, inclusive", () => {
  assert.deepEqual(exportRangeMs({ start: "2022-01-01", end: "2022-01-07" }, -480), [
    Date.parse("2022-01-01T00:00:00.000+08:00"),
    Date.parse("2022-01-07T23:59:59.999+08:00"),
  ]);
  assert.deepEqual(exportRangeMs({ start: "2022-01-01", end: "2022-01-01" }, 0), [
    Date.parse("2022-01-01T00:00:00Z"),
    Date.parse("2022-01-01T23:59:59.999Z"),
  ]);
  assert.throws(() => exportRangeMs({ start: "2022-1-1", end: "2022-01-01" }, 0), /bad date/);
});

Deno.test("export api: body = template, then filters, then the time range; headers filtered", () => {
  const body = buildExportBody({ a: 1, keyword: "x" }, 10, 20, { searchTabEnumCode: 3 });
  assert.deepEqual(body, {
    keyword: "x",
    searchTabEnumCode: 3,
    a: 1,
    searchCooperationByCreateTime: [10, 20],
  });
  assert.deepEqual(buildExportBody({}, 1, 2), {
    keyword: "",
    searchTabEnumCode: 0,
    searchCooperationByCreateTime: [1, 2],
  });
  assert.deepEqual(
    exportHeaders({ Cookie: "x", Host: "h", "X-Csrf-Token": "t", "Content-Length": "3", Accept: "*/*" }),
    {
      "x-csrf-token": "t",
      accept: "*/*",
    },
  );
});

Deno.test("export api: the call — path, method, headers, cookie, body, parsed answer", async () => {
  const seen: Request[] = [];
  const api = client(
    () => Response.json({ code: 0, message: "success", data: { taskId: 42, total: "1250" } }),
    seen,
  );
  const task = await api.exportRecords({ start: "2022-01-08", end: "2022-01-08" });
  assert.deepEqual({ taskId: task.taskId, total: task.total }, { taskId: "42", total: 1250 });
  const req = seen[0];
  assert.equal(req.method, "POST");
  assert.equal(new URL(req.url).pathname, EXPORT_COOPERATION_RECORDS_PATH);
  assert.equal(
    req.headers.get("cookie"),
    "session=abc; lark_oapi_csrf_token=t",
    "cookie only through cookieAuth",
  );
  assert.equal(req.headers.get("timezone-offset"), "-480", "from config, not the capture");
  assert.equal(req.headers.get("x-csrf-token"), "t");
  assert.equal(req.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(req.headers.get("connection"), null, "hop-by-hop headers are dropped");
  const body = await req.json();
  assert.deepEqual(body, {
    keyword: "采购",
    searchTabEnumCode: 2,
    pageSize: 20,
    searchCooperationByCreateTime: [
      Date.parse("2022-01-08T00:00:00+08:00"),
      Date.parse("2022-01-08T23:59:59.999+08:00"),
    ],
  });
});

Deno.test("export api: a missing total stays undefined (taken from the bot message later)", async () => {
  const api = client(() => Response.json({ code: 0, data: { task_id: "t-1" } }));
  const task = await api.exportRecords({ start: "2022-01-01", end: "2022-01-01" });
  assert.equal(task.taskId, "t-1");
  assert.equal(task.total, undefined);
});

Deno.test("export api: an expired session is a SessionError (401, login redirect, HTML page)", async () => {
  const answers = [
    () => Response.json({ code: 401, message: "未登录" }, { status: 401 }),
    () => new Response(null, { status: 302, headers: { location: "https://accounts.feishu.cn/login" } }),
    () =>
      new Response("<!DOCTYPE html><html><body>登录</body></html>", {
        headers: { "content-type": "text/html" },
      }),
  ];
  for (const answer of answers) {
    await assert.rejects(
      client(answer).exportRecords({ start: "2022-01-01", end: "2022-01-01" }),
      (e: unknown) => {
        assert.ok(e instanceof SessionError);
        assert.match(e.hint, /登录已失效/);
        return true;
      },
    );
  }
});
