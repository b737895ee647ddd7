/**
 * The sandbox's control API (`/__sandbox/…`): rate limits switched off, back
 * to the documented tiers, or set per endpoint (unknown names and booleans
 * refused in Chinese); fault requests (rules, clearing, fail-next queues,
 * session and token switches) with their refusals; the journal filter and
 * clearing; reset.
 */
import assert from "node:assert/strict";
import { call, postJson, withSandbox } from "./_helpers.ts";

Deno.test("sandbox control: rate limits off, documented, per endpoint; bad names refused", async () => {
  await withSandbox({}, async ({ url }) => {
    const C = `${url}/__sandbox`;
    const documented = (await call(`${C}/rate_limits`)).body.data;
    assert.ok(Object.keys(documented).length > 0, "documented tiers on by default");
    const off = await postJson(`${C}/rate_limits`, { off: true });
    assert.deepEqual(off.body.data, {});
    const one = await postJson(`${C}/rate_limits`, { contract_search: { perSecond: 3 } });
    assert.deepEqual(one.body.data, { contract_search: { perSecond: 3 } });
    const removed = await postJson(`${C}/rate_limits`, { contract_search: null });
    assert.deepEqual(removed.body.data, {});
    const back = await postJson(`${C}/rate_limits`, { documented: true });
    assert.deepEqual(back.body.data, documented);
    for (const body of [{ no_such_endpoint: { perSecond: 1 } }, { contract_search: true }]) {
      const bad = await postJson(`${C}/rate_limits`, body);
      assert.equal(bad.status, 400);
      assert.match(bad.text, /限流设置无效/);
    }
    assert.equal((await call(`${C}/rate_limits`, { method: "POST", body: "{" })).status, 400);
  });
});

Deno.test("sandbox control: fault requests, their refusals, the journal and reset", async () => {
  await withSandbox({}, async ({ url }) => {
    const C = `${url}/__sandbox`;
    const set = await postJson(`${C}/faults`, {
      rules: { contract_search: { errorStatus: 500 } },
      failNext: [{ endpoint: "contract_search", n: 2 }, { endpoint: "tenant_token", kind: "auth" }],
      revokeTokens: true,
      expireSessions: true,
      loggedOutStyle: "redirect_302",
    });
    assert.equal(set.status, 200, set.text);
    const cleared = await postJson(`${C}/faults`, {
      rules: { contract_search: null },
      restoreSessions: true,
      releaseHangs: true,
    });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal((await postJson(`${C}/faults`, { clear: true })).status, 200);
    for (
      const body of [
        "not an object",
        { failNext: { endpoint: "contract_search", kind: "explode" } },
        { loggedOutStyle: "shrug" },
      ]
    ) {
      const bad = await postJson(`${C}/faults`, body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.match(bad.text, /故障设置无效/);
    }
    await postJson(`${url}/open-apis/auth/v3/tenant_access_token/internal`, { app_id: "x", app_secret: "y" });
    const journal = (await call(`${C}/journal?endpoint=tenant_token`)).body.data;
    assert.equal(journal.entries.length, 1);
    assert.equal(journal.counts.tenant_token, 1);
    assert.equal((await call(`${C}/journal`, { method: "DELETE" })).status, 200);
    assert.equal((await call(`${C}/journal`)).body.data.entries.length, 0);
    assert.equal((await postJson(`${C}/reset`, {})).status, 200);
  });
});
