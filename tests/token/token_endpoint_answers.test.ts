/**
 * LarkTokenEndpoints on incomplete answers (a scripted fetch): a token answer
 * without the token or its lifetime is a LarkError carrying the log id and a
 * Chinese hint, for app/tenant tokens and for OAuth exchanges; retries of
 * transient failures are counted.
 */
import assert from "node:assert/strict";
import { LarkError } from "../../lib/errors/mod.ts";
import { LarkTokenEndpoints } from "../../lib/token/lark_token_endpoints.ts";

const APP = { appId: "cli_a", appSecret: "s" };

function scripted(answers: (() => Response)[]) {
  let n = 0;
  const endpoints = new LarkTokenEndpoints({
    baseUrl: "http://127.0.0.1:9/",
    retries: 2,
    backoffMs: 1,
    fetch: (() => Promise.resolve(answers[Math.min(n++, answers.length - 1)]())) as typeof fetch,
  });
  return { endpoints, calls: () => n };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "x-tt-logid": "log-123" } });

Deno.test("token endpoints: an app or tenant token answer without token or expire is an incomplete-answer error", async () => {
  for (const body of [{ code: 0, expire: 7200 }, { code: 0, tenant_access_token: "t-1" }]) {
    const { endpoints } = scripted([() => json(body)]);
    await assert.rejects(endpoints.fetchTenantToken(APP), (e) => {
      assert.ok(e instanceof LarkError);
      assert.match(e.message, /tenant_access_token\/expire/);
      assert.equal(e.logId, "log-123");
      assert.match(e.hint, /不完整的响应/);
      return true;
    });
  }
  const app = scripted([() => json({ code: 0, app_access_token: "a-1" })]);
  await assert.rejects(app.endpoints.fetchAppToken(APP), /app_access_token\/expire/);
});

Deno.test("token endpoints: an OAuth answer without access_token or expires_in is an incomplete-answer error", async () => {
  const { endpoints } = scripted([() => json({ code: 0, refresh_token: "r" })]);
  await assert.rejects(
    endpoints.exchangeCode(APP, {
      code: "c",
      redirectUri: "http://127.0.0.1/cb",
      codeVerifier: "v".repeat(43),
    }),
    (e) => e instanceof LarkError && /access_token\/expires_in/.test(e.message),
  );
});

Deno.test("token endpoints: transient failures are retried and counted; the third answer wins", async () => {
  const { endpoints, calls } = scripted([
    () => new Response("<html>bad gateway</html>", { status: 502 }),
    () => json({ code: 0, msg: "busy" }, 503),
    () => json({ code: 0, tenant_access_token: "t-ok", expire: 7200 }),
  ]);
  const t = await endpoints.fetchTenantToken(APP);
  assert.deepEqual(t, { token: "t-ok", expireSeconds: 7200 });
  assert.equal(calls(), 3);
  assert.equal(endpoints.retryCount, 2);
});
