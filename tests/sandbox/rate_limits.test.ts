import assert from "node:assert/strict";
import { FakeClock } from "../../lib/testing/mod.ts";
import { clmGet, CONTRACT_AND_TASK, fetchToken, search, token, withSandbox } from "./_helpers.ts";

// Aligned to a whole minute so window arithmetic is easy to read.
const T0 = 1_700_000_040_000;

Deno.test("rate limit: per-second window → 429 + 99991400 + x-ogw headers, recovers next window", async () => {
  const clock = new FakeClock(T0);
  await withSandbox(
    { clock, rateLimits: { contract_search: { perSecond: 2 } } },
    async ({ url, sandbox }) => {
      const bearer = await token(url);
      const number = sandbox.examples().ok[0];
      assert.equal((await search(url, bearer, number)).status, 200);
      assert.equal((await search(url, bearer, number)).status, 200);
      const over = await search(url, bearer, number);
      assert.equal(over.status, 429);
      assert.deepEqual(over.body, { code: 99991400, msg: "request trigger frequency limit" });
      assert.equal(over.headers.get("x-ogw-ratelimit-limit"), "2");
      assert.equal(over.headers.get("x-ogw-ratelimit-reset"), "1");
      assert.equal(sandbox.journal.countThrottled("contract_search"), 1);
      assert.equal(sandbox.journal.countThrottled(), 1);
      assert.equal(sandbox.journal.last("contract_search")?.throttled, true);

      await clock.tick(1000);
      assert.equal((await search(url, bearer, number)).status, 200);
    },
  );
});

Deno.test("rate limit: per-minute window reports the seconds left in the window", async () => {
  const clock = new FakeClock(T0);
  await withSandbox({ clock, rateLimits: { tenant_token: { perMinute: 2 } } }, async ({ url }) => {
    assert.equal((await fetchToken(url)).body.code, 0);
    await clock.tick(15_000);
    assert.equal((await fetchToken(url)).body.code, 0);
    await clock.tick(500);
    const over = await fetchToken(url);
    assert.equal(over.status, 429);
    assert.equal(over.body.code, 99991400);
    assert.equal(over.headers.get("x-ogw-ratelimit-limit"), "2");
    assert.equal(over.headers.get("x-ogw-ratelimit-reset"), "45"); // 44.5 s left, rounded up
    await clock.tick(44_500);
    assert.equal((await fetchToken(url)).body.code, 0);
  });
});

Deno.test("rate limit: global budget is per app and shared across endpoints; runtime changes", async () => {
  const clock = new FakeClock(T0);
  await withSandbox({ clock, rateLimits: { global: { perSecond: 3 } } }, async ({ url, sandbox }) => {
    const bearer = await token(url); // 1
    const number = sandbox.examples().ok[0];
    assert.equal((await search(url, bearer, number)).status, 200); // 2
    assert.equal((await search(url, bearer, number)).status, 200); // 3
    assert.equal((await search(url, bearer, number)).status, 429);
    assert.equal((await fetchToken(url)).status, 429);

    sandbox.rateLimits.set("global", undefined);
    assert.equal((await search(url, bearer, number)).status, 200);
  });
});

Deno.test("rate limit: CLM endpoints are limited per session", async () => {
  const clock = new FakeClock(T0);
  await withSandbox(
    { clock, rateLimits: { contract_and_task: { perSecond: 1 } } },
    async ({ url, sandbox }) => {
      const path = `${CONTRACT_AND_TASK}?contractId=${sandbox.state.contracts[0].contractId}`;
      assert.equal((await clmGet(url, path)).status, 200);
      const over = await clmGet(url, path);
      assert.equal(over.status, 429);
      assert.ok(Number(over.headers.get("x-ogw-ratelimit-reset")) >= 1);
      assert.equal(sandbox.journal.countThrottled("contract_and_task"), 1);
    },
  );
});
