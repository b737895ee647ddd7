/**
 * The core service's one answer shape: a thrown LarkError keeps its Feishu
 * code, log id and Chinese fix and gets the HTTP status of its kind; anything
 * else is a 500 "internal" that never leaks more than its message.
 */
import assert from "node:assert/strict";
import {
  AuthError,
  BadRequestError,
  ConfigError,
  LarkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
} from "../../lib/errors/mod.ts";
import { errorResponse, errorResponseOf, okResponse } from "../../pipelines/core/envelope.ts";

Deno.test("envelope: each LarkError kind gets its status; code, log id and fix are kept", async () => {
  const cases: [LarkError, number][] = [
    [new BadRequestError("bad", { code: 99992402, hint: "参数错误" }), 400],
    [new NotFoundError("gone", { code: 1770002, hint: "不存在" }), 404],
    [new AuthError("token", { code: 99991663, hint: "令牌无效" }), 403],
    [new PermissionError("scope", { code: 99991672, hint: "缺少权限" }), 403],
    [new RateLimitError("slow down", { code: 99991400, hint: "请稍后" }), 429],
    [new ConfigError("misconfigured", { hint: "检查配置" }), 409],
    [new ServerError("upstream", { code: 1500, logId: "20260105abc", hint: "飞书暂时不可用" }), 502],
  ];
  for (const [e, status] of cases) {
    const res = errorResponseOf("req-1", e);
    assert.equal(res.status, status, e.kind);
    assert.equal(res.headers.get("x-request-id"), "req-1");
    const body = await res.json();
    assert.equal(body.code, e.code ?? e.kind, "a Feishu code when known, else the kind's name");
    assert.equal(body.data, null);
    // JSON drops an absent log id.
    assert.deepEqual(
      body.error,
      JSON.parse(JSON.stringify({ kind: e.kind, message: e.message, log_id: e.logId, fix: e.hint })),
    );
  }
});

Deno.test("envelope: Feishu's log id reaches the answer", async () => {
  const e = new ServerError("upstream", { code: 1500, logId: "20260105abc", hint: "飞书暂时不可用" });
  assert.equal((await errorResponseOf("req-9", e).json()).error.log_id, "20260105abc");
});

Deno.test("envelope: anything else is a 500 internal with a Chinese fix; success and custom failures keep the shape", async () => {
  const crash = errorResponseOf("req-2", new TypeError("x is undefined"));
  assert.equal(crash.status, 500);
  const body = await crash.json();
  assert.deepEqual([body.code, body.error.kind, body.error.message], [
    "internal",
    "internal",
    "x is undefined",
  ]);
  assert.match(body.error.fix, /request_id/);
  assert.equal((await errorResponseOf("req-3", "a string").json()).error.message, "a string");

  const ok = okResponse("req-4", { n: 1 }, 201);
  assert.equal(ok.status, 201);
  assert.deepEqual(await ok.json(), { code: 0, request_id: "req-4", data: { n: 1 }, error: null });
  const limited = errorResponse("req-5", 503, "degraded", {
    kind: "degraded",
    message: "queue down",
    fix: "稍后重试",
  }, {
    "retry-after": "5",
  });
  assert.equal(limited.headers.get("retry-after"), "5");
  assert.equal((await limited.json()).code, "degraded");
});
