import assert from "node:assert/strict";
import { FakeClock } from "../../lib/testing/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import {
  call,
  clmGet,
  CONTRACT_AND_TASK,
  fetchToken,
  postJson,
  search,
  token,
  withSandbox,
} from "./_helpers.ts";

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

Deno.test("rate limit: documented tiers on by default — contact 50/s and 1000/min per API; off with the switch", async () => {
  const clock = new FakeClock(T0);
  await withSandbox({ clock }, async ({ url, sandbox }) => {
    const bearer = await token(url);
    const zhang = meetingFamily(sandbox).directory.users[0];
    const user = `${url}/open-apis/contact/v3/users/${zhang.openId}`;
    const get = () => call(user, { headers: { authorization: `Bearer ${bearer}` } });
    for (let i = 0; i < 50; i++) assert.equal((await get()).status, 200);
    const over = await get();
    assert.deepEqual([over.status, over.body.code], [429, 99991400]);
    assert.equal(over.headers.get("x-ogw-ratelimit-limit"), "50");
    const other = await call(`${url}/open-apis/contact/v3/departments/0/children`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    assert.equal(other.status, 200, "each API has its own budget");
    for (let s = 1; s < 20; s++) {
      await clock.tick(1000);
      for (let i = 0; i < 50; i++) assert.equal((await get()).status, 200, `second ${s}`);
    }
    await clock.tick(1000);
    const minute = await get();
    assert.equal(minute.status, 429, "1000 in the minute");
    assert.equal(minute.headers.get("x-ogw-ratelimit-limit"), "1000");
  });
  await withSandbox({ clock, defaultRateLimits: false }, async ({ url, sandbox }) => {
    const bearer = await token(url);
    const zhang = meetingFamily(sandbox).directory.users[0];
    for (let i = 0; i < 60; i++) {
      const a = await call(`${url}/open-apis/contact/v3/users/${zhang.openId}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      assert.equal(a.status, 200);
    }
    assert.deepEqual(sandbox.rateLimits.table, {});
  });
});

Deno.test("rate limit: 5 QPS per message recipient (user), other recipients unaffected", async () => {
  const clock = new FakeClock(T0);
  await withSandbox({ clock }, async ({ url, sandbox }) => {
    const bearer = await token(url);
    const [zhang, li] = meetingFamily(sandbox).directory.users;
    const send = (openId: string) =>
      postJson(
        `${url}/open-apis/im/v1/messages?receive_id_type=open_id`,
        { receive_id: openId, msg_type: "text", content: '{"text":"hi"}' },
        { authorization: `Bearer ${bearer}` },
      );
    for (let i = 0; i < 5; i++) assert.equal((await send(zhang.openId)).body.code, 0);
    const over = await send(zhang.openId);
    assert.deepEqual([over.status, over.body.code], [429, 99991400]);
    assert.equal((await send(li.openId)).body.code, 0);
    await clock.tick(1000);
    assert.equal((await send(zhang.openId)).body.code, 0);
  });
});
