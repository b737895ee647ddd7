import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { createSandbox } from "../../sandbox/mod.ts";
import {
  call,
  clmGet,
  CONTRACT_AND_TASK,
  fetchToken,
  postJson,
  SEARCH,
  search,
  token,
  withSandbox,
} from "./_helpers.ts";

Deno.test("faults: failNext answers the next n calls with 500, then recovers", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const bearer = await token(url);
    const number = sandbox.examples().ok[0];
    sandbox.faults.failNext("contract_search", 2, "error");
    for (let i = 0; i < 2; i++) {
      const a = await search(url, bearer, number);
      assert.equal(a.status, 500);
      assert.equal(a.body.code, 2200);
    }
    assert.equal((await search(url, bearer, number)).status, 200);
    assert.deepEqual(sandbox.journal.filter("contract_search").map((e) => e.fault), [
      "error",
      "error",
      undefined,
    ]);
    assert.equal((await fetchToken(url)).status, 200, "other endpoints unaffected");
  });
});

Deno.test("faults: revokeTokens → 99991663 until a new token is fetched", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const old = await token(url);
    const number = sandbox.examples().ok[0];
    assert.equal(sandbox.faults.revokeTokens(), 1);
    const refused = await search(url, old, number);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 99991663);
    const fresh = await token(url);
    assert.notEqual(fresh, old);
    assert.equal((await search(url, fresh, number)).body.code, 0);
  });
});

Deno.test("faults: failNext rate_limit / auth per family", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const bearer = await token(url);
    const number = sandbox.examples().ok[0];
    sandbox.faults.failNext("contract_search", 1, "rate_limit");
    const limited = await search(url, bearer, number);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 99991400);
    assert.ok(Number(limited.headers.get("x-ogw-ratelimit-reset")) >= 1);
    assert.ok(limited.headers.get("x-ogw-ratelimit-limit"));

    sandbox.faults.failNext("contract_search", 1, "auth");
    assert.equal((await search(url, bearer, number)).body.code, 99991663);
    sandbox.faults.failNext("tenant_token", 1, "auth");
    assert.equal((await fetchToken(url)).body.code, 10014);
    sandbox.faults.failNext("contract_and_task", 1, "auth");
    const id = sandbox.state.contracts[0].contractId;
    assert.equal((await clmGet(url, `${CONTRACT_AND_TASK}?contractId=${id}`)).status, 401);
    assert.equal((await clmGet(url, `${CONTRACT_AND_TASK}?contractId=${id}`)).status, 200);
  });
});

Deno.test("faults: drop breaks the connection before the body", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    sandbox.faults.failNext("tenant_token", 1, "drop");
    await assert.rejects(() => fetchToken(url));
    assert.equal(sandbox.journal.last("tenant_token")?.fault, "drop");
    assert.equal(sandbox.journal.last("tenant_token")?.status, 0);
    assert.equal((await fetchToken(url)).body.code, 0);
  });
});

Deno.test("faults: hang holds the request until the client aborts; releaseHangs/close frees it", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    sandbox.faults.failNext("tenant_token", 1, "hang");
    await assert.rejects(
      () =>
        call(url + "/open-apis/auth/v3/tenant_access_token/internal", {
          method: "POST",
          body: "{}",
          signal: AbortSignal.timeout(100),
        }),
      (e: Error) => e.name === "TimeoutError" || e.name === "AbortError",
    );
    assert.equal(sandbox.state.hangs.pending, 1);
    assert.equal(sandbox.journal.last("tenant_token")?.fault, "hang");
    assert.equal(sandbox.faults.releaseHangs(), 1);
    await waitFor(() => sandbox.state.hangs.pending === 0, { what: "the released hang" });
    assert.equal(sandbox.state.hangs.pending, 0);
    assert.equal(sandbox.journal.last("tenant_token")?.fault, "hang");
    assert.equal(sandbox.journal.last("tenant_token")?.status, 0);
    assert.equal((await fetchToken(url)).body.code, 0);
  });
});

Deno.test("faults: latency and hang-for-N-ms delay the answer", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    sandbox.faults.set("tenant_token", { latencyMs: 40 });
    let start = performance.now();
    assert.equal((await fetchToken(url)).body.code, 0);
    assert.ok(performance.now() - start >= 35);

    sandbox.faults.set("*", { hang: 40 });
    sandbox.faults.clear("tenant_token");
    start = performance.now();
    assert.equal((await fetchToken(url)).body.code, 0);
    assert.ok(performance.now() - start >= 35);
  });
});

Deno.test("faults: dice are seeded — same seed, same sequence; rates respected", async () => {
  const run = async (seed: number) => {
    const sandbox = createSandbox({ seed });
    sandbox.faults.set("*", { errorRate: 0.3, rateLimitRate: 0.2 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await sandbox.app.request("/open-apis/auth/v3/tenant_access_token/internal", {
        method: "POST",
        body: JSON.stringify({ app_id: "cli_a1b2c3d4e5f60718", app_secret: "sandbox-secret" }),
      });
      await res.body?.cancel();
      statuses.push(res.status);
    }
    return statuses;
  };
  const a = await run(7);
  assert.deepEqual(await run(7), a);
  assert.notDeepEqual(await run(8), a);
  assert.ok(a.includes(500) && a.includes(429) && a.includes(200));
});

Deno.test("faults: errorRate 1 with a custom status and code", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const bearer = await token(url);
    sandbox.faults.set("contract_search", { errorRate: 1, errorStatus: 503, errorCode: 1500 });
    const a = await search(url, bearer, sandbox.examples().ok[0]);
    assert.equal(a.status, 503);
    assert.equal(a.body.code, 1500);
  });
});

Deno.test("control endpoints: faults, journal, rate_limits and reset over HTTP", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const bearer = await token(url);
    const set = await postJson(url + "/__sandbox/faults", {
      failNext: { endpoint: "contract_search", n: 1, kind: "error" },
      loggedOutStyle: "redirect_302",
    });
    assert.equal(set.body.code, 0);
    assert.deepEqual(set.body.data.queued, { contract_search: ["error"] });
    assert.equal(set.body.data.loggedOutStyle, "redirect_302");
    assert.equal((await search(url, bearer, sandbox.examples().ok[0])).status, 500);

    const bad = await postJson(url + "/__sandbox/faults", { failNext: { endpoint: "nope" } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /未知的接口名/);

    const journal = await call(url + "/__sandbox/journal?endpoint=contract_search");
    assert.equal(journal.body.data.entries.length, 1);
    assert.equal(journal.body.data.counts.tenant_token, 1);
    assert.equal(journal.body.data.counts.__sandbox, undefined, "control calls are not journaled");

    const limits = await postJson(url + "/__sandbox/rate_limits", { contract_search: { perSecond: 5 } });
    assert.deepEqual(limits.body.data.contract_search, { perSecond: 5 });
    assert.deepEqual(
      limits.body.data.im_message_create,
      { perMinute: 1000, perSecond: 50 },
      "documented tier",
    );
    const off = await postJson(url + "/__sandbox/rate_limits", { off: true });
    assert.deepEqual(off.body.data, {}, "the switch turns every limit off");
    const back = await postJson(url + "/__sandbox/rate_limits", { documented: true });
    assert.deepEqual(back.body.data.minute_get, { perSecond: 5 });

    await postJson(url + "/__sandbox/faults", { revokeTokens: true, expireSessions: true });
    assert.equal((await search(url, bearer, sandbox.examples().ok[0])).body.code, 99991663);

    assert.equal((await postJson(url + "/__sandbox/reset", {})).body.code, 0);
    assert.equal(sandbox.journal.count(), 0);
    assert.equal(sandbox.faults.loggedOutStyle, "json_401");
    const id = sandbox.state.contracts[0].contractId;
    assert.equal(
      (await clmGet(url, `${CONTRACT_AND_TASK}?contractId=${id}`)).body.code,
      0,
      "sessions restored",
    );

    const info = await call(url + "/__sandbox");
    assert.equal(info.body.data.apps[0].app_id, "cli_a1b2c3d4e5f60718");
    assert.ok(info.body.data.examples.ok.length > 0);
    assert.equal((await postJson(url + SEARCH, {})).body.code, 99991661);
  });
});
