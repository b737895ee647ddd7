import assert from "node:assert/strict";
import { FakeClock } from "../../lib/testing/mod.ts";
import { DEFAULT_APP_ID } from "../../sandbox/mod.ts";
import { APP_TOKEN, call, fetchToken, postJson, search, TENANT_TOKEN, withSandbox } from "./_helpers.ts";

const MIN = 60_000;

Deno.test("tenant token: top-level fields, t- prefix, full lifetime, one journal entry", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const a = await fetchToken(url);
    assert.equal(a.status, 200);
    assert.equal(a.body.code, 0);
    assert.equal(a.body.msg, "ok");
    assert.match(a.body.tenant_access_token, /^t-[0-9a-f]{40}$/);
    assert.equal(a.body.expire, 7200);
    assert.equal(a.body.data, undefined);
    assert.ok(a.headers.get("x-tt-logid"));
    assert.equal(sandbox.journal.count("tenant_token"), 1);
    const entry = sandbox.journal.last("tenant_token")!;
    assert.equal(entry.appId, DEFAULT_APP_ID);
    assert.equal(entry.status, 200);
    assert.equal(entry.code, 0);
  });
});

Deno.test("tenant token: same token while ≥30 min left, new one below, old stays valid until expiry", async () => {
  const clock = new FakeClock(1_700_000_000_000);
  await withSandbox({ clock }, async ({ url, sandbox }) => {
    const first = (await fetchToken(url)).body;
    await clock.tick(60 * MIN);
    const again = (await fetchToken(url)).body;
    assert.equal(again.tenant_access_token, first.tenant_access_token);
    assert.equal(again.expire, 3600);

    await clock.tick(30 * MIN + 1000); // 29:59 left → re-issue
    const fresh = (await fetchToken(url)).body;
    assert.notEqual(fresh.tenant_access_token, first.tenant_access_token);
    assert.equal(fresh.expire, 7200);
    const ok = sandbox.examples().ok[0];
    assert.equal((await search(url, first.tenant_access_token, ok)).body.code, 0, "old token still valid");
    assert.equal((await search(url, fresh.tenant_access_token, ok)).body.code, 0);

    await clock.tick(30 * MIN); // the old one has now expired
    const expired = await search(url, first.tenant_access_token, ok);
    assert.equal(expired.status, 400);
    assert.equal(expired.body.code, 99991663);
    assert.equal((await search(url, fresh.tenant_access_token, ok)).body.code, 0);
  });
});

Deno.test("tenant token: credential errors answer HTTP 200 with 10014 / 10003", async () => {
  await withSandbox({}, async ({ url }) => {
    const wrong = await fetchToken(url, DEFAULT_APP_ID, "not-the-secret");
    assert.equal(wrong.status, 200);
    assert.deepEqual(wrong.body, { code: 10014, msg: "app secret invalid" });

    const unknown = await fetchToken(url, "cli_0000000000000000", "x");
    assert.equal(unknown.status, 200);
    assert.deepEqual(unknown.body, { code: 10014, msg: "app id not exists" });

    const malformed = await fetchToken(url, "test", "test");
    assert.deepEqual(malformed.body, { code: 10003, data: {}, msg: "invalid param" });

    const missing = await postJson(url + TENANT_TOKEN, { app_id: DEFAULT_APP_ID });
    assert.equal(missing.body.code, 10003);

    const notJson = await call(url + TENANT_TOKEN, { method: "POST", body: "{" });
    assert.equal(notJson.body.code, 10003);
  });
});

Deno.test("app token: returns app_access_token and tenant_access_token; app token is refused by APIs", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const a = await postJson(url + APP_TOKEN, { app_id: DEFAULT_APP_ID, app_secret: "sandbox-secret" });
    assert.equal(a.body.code, 0);
    assert.match(a.body.app_access_token, /^a-/);
    assert.match(a.body.tenant_access_token, /^t-/);
    assert.equal(a.body.expire, 7200);
    const ok = sandbox.examples().ok[0];
    assert.equal((await search(url, a.body.tenant_access_token, ok)).body.code, 0);
    assert.equal((await search(url, a.body.app_access_token, ok)).body.code, 99991663);
    assert.equal(sandbox.journal.count("app_token"), 1);
  });
});

Deno.test("tenant token: custom apps and lifetime", async () => {
  const apps = [{ appId: "cli_ffffffffffffffff", appSecret: "s2" }];
  await withSandbox({ apps, tokenLifetimeSec: 1200 }, async ({ url }) => {
    const a = await fetchToken(url, "cli_ffffffffffffffff", "s2");
    assert.equal(a.body.expire, 1200);
    // Less than 30 min lifetime: every call issues a new token.
    const b = await fetchToken(url, "cli_ffffffffffffffff", "s2");
    assert.notEqual(b.body.tenant_access_token, a.body.tenant_access_token);
    assert.equal((await fetchToken(url)).body.code, 10014, "default app not configured any more");
  });
});
