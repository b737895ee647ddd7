import assert from "node:assert/strict";
import { cookieAuth } from "../../lib/clm/cookie_auth.ts";
import {
  buildCountBody,
  COUNT_BUCKET,
  CountApi,
  type CountApiOptions,
  CountTotalError,
  setValueAtPath,
  valueAtPath,
} from "../../lib/clm/count_api.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { SessionError } from "../../lib/errors/session_error.ts";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { RateLimiter } from "../../lib/rate_limit/rate_limiter.ts";

const LIST_PATH = "/clm/api/cooperation/someListTheBrowserCalls";

function client(
  answer: (req: Request) => Response | Promise<Response>,
  seen: Request[] = [],
  extra: Partial<CountApiOptions> = {},
) {
  const limiter = new RateLimiter({ buckets: { [COUNT_BUCKET]: { perMinute: 6000 } } });
  const http = new LarkHttp({
    baseUrl: "https://contract.example",
    auth: cookieAuth("session=abc"),
    fetch: async (input, init) => {
      const req = new Request(input as URL, init);
      seen.push(req.clone());
      return await answer(req);
    },
    retry: { retries: 0 },
    limiter,
  });
  const api = new CountApi(http, {
    path: LIST_PATH,
    query: { _t: "1" },
    headers: { cookie: "stale=1", "content-length": "9", "x-csrf-token": "t", connection: "keep-alive" },
    bodyTemplate: {
      keyword: "旧",
      searchTabEnumCode: 2,
      pageNum: 3,
      pageSize: 20,
      searchCooperationByCreateTime: [],
    },
    filters: { keyword: "采购" },
    tzOffsetMinutes: -480,
    ...extra,
  });
  return { api, limiter };
}

Deno.test("count api: dotted paths read and write nested values", () => {
  const v = { data: { page: [{ total: 7 }], total: 12 } };
  assert.equal(valueAtPath(v, "data.total"), 12);
  assert.equal(valueAtPath(v, "data.page.0.total"), 7);
  assert.equal(valueAtPath(v, "data.missing.total"), undefined);
  assert.equal(valueAtPath(null, "data.total"), undefined);
  const t: Record<string, unknown> = { filter: 5 };
  setValueAtPath(t, "filter.createTime", [1, 2]);
  setValueAtPath(t, "a.b", 1);
  assert.deepEqual(t, { filter: { createTime: [1, 2] }, a: { b: 1 } });
});

Deno.test("count api: body = template, filters, range field, page size 1 (template untouched)", () => {
  const template = { keyword: "x", pageSize: 50, pageNum: 2, other: { keep: true } };
  const body = buildCountBody(template, 10, 20, { filters: { searchTabEnumCode: 4 } });
  assert.deepEqual(body, {
    keyword: "x",
    searchTabEnumCode: 4,
    pageSize: 1,
    pageNum: 2,
    other: { keep: true },
    searchCooperationByCreateTime: [10, 20],
  });
  assert.equal(template.pageSize, 50, "the template is cloned");
  assert.deepEqual(
    buildCountBody({ q: { size: 9 } }, 1, 2, { rangeField: "q.created", pageSizeField: "q.size" }),
    { q: { size: 1, created: [1, 2] } },
  );
  assert.deepEqual(buildCountBody({ pageSize: 9 }, 1, 2, { pageSizeField: "" }), {
    pageSize: 9,
    searchCooperationByCreateTime: [1, 2],
  });
});

Deno.test("count api: the call replays the captured request with the window's range", async () => {
  const seen: Request[] = [];
  const { api } = client(
    () => Response.json({ code: 0, message: "success", data: { total: 1234, list: [{ id: 1 }] } }),
    seen,
  );
  const r = await api.countRecords({ start: "2022-01-08", end: "2022-01-14" });
  assert.equal(r.total, 1234);
  assert.equal(r.attempts, 1);
  const req = seen[0];
  assert.equal(req.method, "POST");
  const url = new URL(req.url);
  assert.equal(url.pathname, LIST_PATH, "whatever path the browser called");
  assert.equal(url.searchParams.get("_t"), "1", "captured query kept");
  assert.equal(req.headers.get("cookie"), "session=abc", "cookie only through cookieAuth");
  assert.equal(req.headers.get("timezone-offset"), "-480");
  assert.equal(req.headers.get("x-csrf-token"), "t");
  assert.equal(req.headers.get("connection"), null);
  assert.deepEqual(await req.json(), {
    keyword: "采购",
    searchTabEnumCode: 2,
    pageNum: 3,
    pageSize: 1,
    searchCooperationByCreateTime: [
      Date.parse("2022-01-08T00:00:00.000+08:00"),
      Date.parse("2022-01-14T23:59:59.999+08:00"),
    ],
  });
  const utc = client(() => Response.json({ code: 0, data: { total: 1 } }), seen, { tzOffsetMinutes: 0 }).api;
  assert.deepEqual(utc.bodyFor({ start: "2022-01-01", end: "2022-01-01" }).searchCooperationByCreateTime, [
    Date.parse("2022-01-01T00:00:00Z"),
    Date.parse("2022-01-01T23:59:59.999Z"),
  ]);
});

Deno.test("count api: the total at a configured path; numeric strings accepted", async () => {
  const { api } = client(() => Response.json({ code: 0, data: { page: { totalCount: "77" } } }), [], {
    totalPath: "data.page.totalCount",
  });
  assert.equal((await api.countRecords({ start: "2022-01-01", end: "2022-01-01" })).total, 77);
});

Deno.test("count api: a missing or odd total is a configuration error with a Chinese hint", async () => {
  for (const data of [{ list: [] }, { total: -1 }, { total: 1.5 }, { total: "many" }]) {
    const { api } = client(() => Response.json({ code: 0, data }));
    await assert.rejects(api.countRecords({ start: "2022-01-01", end: "2022-01-01" }), (e: unknown) => {
      assert.ok(e instanceof CountTotalError);
      assert.ok(e instanceof ConfigError);
      assert.equal(e.kind, "config");
      assert.match(e.hint, /data\.total/);
      assert.match(e.hint, /count\.total_path/);
      return true;
    });
  }
});

Deno.test("count api: an expired session is a SessionError (401, login redirect, HTML page)", async () => {
  const answers = [
    () => Response.json({ code: 10001, message: "未登录" }, { status: 401 }),
    () => new Response(null, { status: 302, headers: { location: "https://accounts.feishu.cn/login" } }),
    () => new Response("<!DOCTYPE html><html>登录</html>", { headers: { "content-type": "text/html" } }),
  ];
  for (const answer of answers) {
    await assert.rejects(
      client(answer).api.countRecords({ start: "2022-01-01", end: "2022-01-01" }),
      (e: unknown) => e instanceof SessionError && /登录已失效/.test(e.hint),
    );
  }
});
