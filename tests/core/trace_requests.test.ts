import assert from "node:assert/strict";
import { LarkHttp, traceRequests } from "../../lib/http/mod.ts";
import { LarkError } from "../../lib/errors/lark_error.ts";

/** A client whose fetch answers `code` by path and records the request id header it was sent. */
function client() {
  const sent: string[] = [];
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:1",
    retry: { retries: 0 },
    fetch: ((input: URL, init?: RequestInit) => {
      sent.push(new Headers(init?.headers).get("oapi-sdk-request-id") ?? "");
      const code = String(input).includes("/fail") ? 1234567 : 0;
      return Promise.resolve(
        new Response(JSON.stringify({ code, data: {} }), { headers: { "content-type": "application/json" } }),
      );
    }) as typeof fetch,
  });
  return { http, sent };
}

Deno.test("traceRequests: the request ids of the calls made inside, as sent", async () => {
  const { http, sent } = client();
  const { value, requestIds } = await traceRequests(async () => {
    await http.request({ path: "/a", auth: null });
    await http.request({ path: "/b", auth: null });
    return "done";
  });
  assert.equal(value, "done");
  assert.deepEqual(requestIds, sent);
  assert.equal(new Set(requestIds).size, 2);
});

Deno.test("traceRequests: concurrent traces do not mix; an inner trace's ids are also the outer's", async () => {
  const { http } = client();
  const outer = await traceRequests(async () => {
    const [x, y] = await Promise.all([
      traceRequests(() => http.request({ path: "/x", auth: null })),
      traceRequests(() => http.request({ path: "/y", auth: null })),
    ]);
    assert.deepEqual(x.requestIds, [x.value.requestId]);
    assert.deepEqual(y.requestIds, [y.value.requestId]);
    return [x.value.requestId, y.value.requestId];
  });
  assert.deepEqual([...outer.requestIds].sort(), [...outer.value].sort());
  const after = await http.request({ path: "/z", auth: null });
  assert.ok(!outer.requestIds.includes(after.requestId), "a call after the trace is not in it");
});

Deno.test("traceRequests: a failed call's request id is on its error", async () => {
  const { http, sent } = client();
  const err = await traceRequests(() => http.request({ path: "/fail", auth: null })).catch((e) => e);
  assert.ok(err instanceof LarkError);
  assert.equal(err.requestId, sent[0]);
});
