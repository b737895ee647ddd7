import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { ConfigError, errorFromResponse } from "../../lib/errors/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { MemoryTokenStore, SqliteTokenStore, TokenManager } from "../../lib/token/mod.ts";
import { FakeEndpoints, gate, memoryLogger, SpyStore, tempDbPath, testApps } from "./_fakes.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";

const box = await testSecretBox();

const T0 = 1_700_000_000_000;
const LIFETIME_MS = 7200 * 1000;

function setup(clock = new FakeClock(T0)) {
  const endpoints = new FakeEndpoints();
  const store = new SqliteTokenStore(":memory:", { box, clock });
  const manager = new TokenManager({ store, endpoints, apps: testApps(), clock });
  return { clock, endpoints, store, manager };
}

Deno.test("restart reuses a valid stored token with no network call", async () => {
  const db = await tempDbPath();
  const clock = new FakeClock(T0);
  try {
    const e1 = new FakeEndpoints();
    const s1 = new SqliteTokenStore(db.path, { box, clock });
    const m1 = new TokenManager({ store: s1, endpoints: e1, apps: testApps(), clock });
    const first = await m1.getTenantToken("cli_test");
    const firstApp = await m1.getAppToken("cli_test");
    assert.equal(e1.calls.tenant, 1);
    assert.equal(e1.calls.app, 1);
    s1.close();

    await clock.tick(3600_000); // an hour later, still well inside the lifetime
    const e2 = new FakeEndpoints();
    const s2 = new SqliteTokenStore(db.path, { box, clock });
    const m2 = new TokenManager({ store: s2, endpoints: e2, apps: testApps(), clock });
    assert.equal(await m2.getTenantToken("cli_test"), first);
    assert.equal(await m2.getAppToken("cli_test"), firstApp);
    assert.deepEqual(e2.calls, { tenant: 0, app: 0, refresh: 0 });
    assert.deepEqual(m2.stats.fetches, { tenant: 0, app: 0, user: 0 });
    s2.close();
  } finally {
    await db.cleanup();
  }
});

Deno.test("200 concurrent callers share exactly one endpoint call", async () => {
  const { endpoints, manager, store } = setup();
  const g = gate();
  endpoints.gate = g.promise;
  const calls = Array.from({ length: 200 }, () => manager.getTenantToken("cli_test"));
  await new Promise((r) => setTimeout(r, 0));
  g.open();
  const tokens = await Promise.all(calls);
  assert.equal(endpoints.calls.tenant, 1);
  assert.equal(new Set(tokens).size, 1);
  assert.equal(tokens[0], "t-fake-tenant-1");
  assert.equal(manager.stats.fetches.tenant, 1);
  // In-process single-flight: the other 199 joined the one refresh rather than queueing on the lock.
  assert.equal(manager.stats.reusedFromStore, 0);
  store.close();
});

Deno.test("refresh ahead: at 91% of the lifetime callers get the old token at once, one refresh runs", async () => {
  const { clock, endpoints, manager, store } = setup();
  const old = await manager.getTenantToken("cli_test");
  await clock.tick(LIFETIME_MS * 0.91);

  const g = gate();
  endpoints.gate = g.promise; // the refresh hangs until we open the gate
  const during = await Promise.all(Array.from({ length: 50 }, () => manager.getTenantToken("cli_test")));
  assert.ok(during.every((t) => t === old), "callers must get the still-valid token immediately");
  // The refresh reads the (encrypted) store first, so its fetch starts a moment later.
  await waitFor(() => endpoints.calls.tenant >= 2, { intervalMs: 1, what: "the background refresh" });
  assert.equal(endpoints.calls.tenant, 2, "exactly one background refresh");
  assert.equal(manager.stats.backgroundRefreshes, 1);

  g.open();
  await manager.idle();
  const after = await manager.getTenantToken("cli_test");
  assert.equal(after, "t-fake-tenant-2");
  assert.notEqual(after, old);
  assert.equal(endpoints.calls.tenant, 2);
  store.close();
});

Deno.test("before the refresh window no refresh happens; after expiry callers await one fetch", async () => {
  const { clock, endpoints, manager, store } = setup();
  await manager.getTenantToken("cli_test");
  await clock.tick(LIFETIME_MS * 0.85);
  await manager.getTenantToken("cli_test");
  await manager.idle();
  assert.equal(endpoints.calls.tenant, 1);

  await clock.tick(LIFETIME_MS * 0.2); // expired now
  const g = gate();
  endpoints.gate = g.promise;
  let settled = false;
  const waiting = Promise.all(Array.from({ length: 20 }, () => manager.getTenantToken("cli_test")))
    .finally(() => settled = true);
  // The one refresh has reached the (gated) endpoint: every caller is waiting on it.
  await waitFor(() => endpoints.calls.tenant === 2, { timeoutMs: 10_000, what: "the refresh request" });
  assert.equal(settled, false, "an expired token must not be handed out");
  g.open();
  const tokens = await waiting;
  assert.ok(tokens.every((t) => t === "t-fake-tenant-2"));
  assert.equal(endpoints.calls.tenant, 2);
  store.close();
});

Deno.test("revoked token: invalidate drops it; a stale invalidate keeps the newer token", async () => {
  const { endpoints, manager, store } = setup();
  const t1 = await manager.getTenantToken("cli_test");
  assert.equal(await manager.invalidate({ kind: "tenant", appId: "cli_test" }, t1), true);
  const t2 = await manager.getTenantToken("cli_test");
  assert.notEqual(t2, t1);
  assert.equal(endpoints.calls.tenant, 2);

  // A late report about t1 must not drop t2.
  assert.equal(await manager.invalidate({ kind: "tenant", appId: "cli_test" }, t1), false);
  assert.equal(await manager.getTenantToken("cli_test"), t2);
  assert.equal(endpoints.calls.tenant, 2);
  assert.equal((await store.get("tenant:cli_test"))?.accessToken, t2);
  store.close();
});

Deno.test("stale invalidate from another process's manager keeps the newer stored token", async () => {
  const clock = new FakeClock(T0);
  const store = new SqliteTokenStore(":memory:", { box, clock });
  const endpoints = new FakeEndpoints();
  const a = new TokenManager({ store, endpoints, apps: testApps(), clock });
  const b = new TokenManager({ store, endpoints, apps: testApps(), clock });
  const t1 = await a.getTenantToken("cli_test");
  assert.equal(await b.getTenantToken("cli_test"), t1);
  await b.invalidate("tenant:cli_test", t1);
  const t2 = await b.getTenantToken("cli_test");
  // `a` still has t1 in memory and gets it refused: only its memory copy goes.
  assert.equal(await a.invalidate("tenant:cli_test", t1), false);
  assert.equal(await a.getTenantToken("cli_test"), t2);
  assert.equal(endpoints.calls.tenant, 2);
  store.close();
});

Deno.test("AuthProvider: bearer header, invalidate evicts that exact token and asks for one retry", async () => {
  const { endpoints, manager, store } = setup();
  const auth = manager.tenantAuth("cli_test");
  assert.equal(auth.label, "tenant:cli_test");
  const h1 = await auth.headers();
  assert.deepEqual(h1, { Authorization: "Bearer t-fake-tenant-1" });
  assert.equal(await auth.invalidate!(h1), true);
  assert.deepEqual(await auth.headers(), { Authorization: "Bearer t-fake-tenant-2" });
  assert.equal(await auth.invalidate!({}), false);
  const app = manager.appAuth("cli_test");
  assert.deepEqual(await app.headers(), { Authorization: "Bearer a-fake-app-1" });
  assert.equal(endpoints.calls.tenant, 2);
  store.close();
});

Deno.test("wrong app secret: ConfigError at once, 50 concurrent callers cause at most one call", async () => {
  const { endpoints, manager, store } = setup();
  endpoints.tenant = () => {
    throw errorFromResponse({ code: 10014, msg: "app secret invalid", httpStatus: 400, endpoint: "tat" });
  };
  const results = await Promise.allSettled(
    Array.from({ length: 50 }, () => manager.getTenantToken("cli_test")),
  );
  assert.ok(results.every((r) => r.status === "rejected" && r.reason instanceof ConfigError));
  assert.ok(endpoints.calls.tenant <= 1, `calls: ${endpoints.calls.tenant}`);
  assert.equal(endpoints.calls.tenant, 1);
  // A second burst right after is answered from memory: no retry storm.
  await assert.rejects(manager.getTenantToken("cli_test"), ConfigError);
  assert.equal(endpoints.calls.tenant, 1);
  store.close();
});

Deno.test("a fixed secret is tried at once even while a ConfigError is held", async () => {
  const clock = new FakeClock(T0);
  const secret = { value: "wrong" };
  const endpoints = new FakeEndpoints();
  endpoints.tenant = (n, app) => {
    if (app.appSecret === "wrong") throw errorFromResponse({ code: 10014, msg: "bad", httpStatus: 400 });
    return { token: `t-ok-${n}`, expireSeconds: 7200 };
  };
  const store = new MemoryTokenStore({ clock });
  const manager = new TokenManager({ store, endpoints, apps: testApps(secret), clock });
  await assert.rejects(manager.getTenantToken("cli_test"), ConfigError);
  secret.value = "right";
  assert.equal(await manager.getTenantToken("cli_test"), "t-ok-2");
  assert.deepEqual(endpoints.secretsSeen, ["wrong", "right"]);
});

Deno.test("unknown app id: ConfigError naming the app, no endpoint call", async () => {
  const { endpoints, manager, store } = setup();
  await assert.rejects(manager.getTenantToken("cli_nope"), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /cli_nope/);
    assert.match(e.hint, /cli_nope/);
    return true;
  });
  assert.equal(endpoints.calls.tenant, 0);
  store.close();
});

Deno.test("corrupt stored row: cache miss, ERROR logged, row overwritten", async () => {
  const db = await tempDbPath();
  const clock = new FakeClock(T0);
  try {
    const s1 = new SqliteTokenStore(db.path, { box, clock });
    await new TokenManager({ store: s1, endpoints: new FakeEndpoints(), apps: testApps(), clock })
      .getTenantToken("cli_test");
    s1.close();

    const { DatabaseSync } = await import("node:sqlite");
    const raw = new DatabaseSync(db.path);
    raw.prepare("UPDATE tokens SET data = ? WHERE key = ?").run("{not json", "tenant:cli_test");
    raw.close();

    const { logger, sink } = memoryLogger();
    const s2 = new SqliteTokenStore(db.path, { box, clock, logger });
    const e2 = new FakeEndpoints();
    e2.tenant = () => ({ token: "t-fresh-after-corruption", expireSeconds: 7200 });
    const m2 = new TokenManager({ store: s2, endpoints: e2, apps: testApps(), clock });
    assert.equal(await m2.getTenantToken("cli_test"), "t-fresh-after-corruption");
    assert.equal(e2.calls.tenant, 1);
    const errors = sink.records.filter((r) => r.level === "error" && r.event === "token_store.corrupt_row");
    assert.ok(errors.length >= 1, "the corrupt row must be logged at ERROR");
    assert.equal(errors[0].key, "tenant:cli_test");
    assert.equal((await s2.get("tenant:cli_test"))?.accessToken, "t-fresh-after-corruption");
    s2.close();
  } finally {
    await db.cleanup();
  }
});

Deno.test("lock timeout surfaces as a LarkError with a Chinese message", async () => {
  const db = await tempDbPath();
  const clock = new FakeClock(T0);
  const other = new SqliteTokenStore(db.path, { box, clock, pollMs: 100 }); // "another process"
  const mine = new SqliteTokenStore(db.path, { box, clock, pollMs: 100 });
  const hold = gate();
  try {
    const holding = other.withLock("tenant:cli_test", 60_000, () => hold.promise);
    const endpoints = new FakeEndpoints();
    const m = new TokenManager({ store: mine, endpoints, apps: testApps(), clock, lockTimeoutMs: 500 });
    const p = m.getTenantToken("cli_test");
    const check = assert.rejects(p, /等待令牌锁「tenant:cli_test」超时（500 毫秒）/);
    await clock.tick(600);
    await check;
    assert.equal(endpoints.calls.tenant, 0);
    hold.open();
    await holding;
  } finally {
    other.close();
    mine.close();
    await db.cleanup();
  }
});

Deno.test("a store write is the commit point: tokens are written before being handed out", async () => {
  const clock = new FakeClock(T0);
  const store = new SpyStore(new MemoryTokenStore({ clock }));
  const endpoints = new FakeEndpoints();
  const manager = new TokenManager({ store, endpoints, apps: testApps(), clock });
  const token = await manager.getTenantToken("cli_test");
  assert.deepEqual(store.events, ["put:active:-"]);
  assert.equal((await store.get("tenant:cli_test"))?.accessToken, token);
});

Deno.test("an aborted caller stops waiting; the shared fetch still serves the others", async () => {
  const { endpoints, manager, store } = setup();
  const g = gate();
  endpoints.gate = g.promise;
  const ac = new AbortController();
  const aborted = manager.getTenantToken("cli_test", ac.signal);
  const patient = manager.getTenantToken("cli_test");
  await new Promise((r) => setTimeout(r, 0));
  ac.abort(new Error("caller gave up"));
  await assert.rejects(aborted, /caller gave up/);
  g.open();
  assert.equal(await patient, "t-fake-tenant-1");
  assert.equal(endpoints.calls.tenant, 1);
  store.close();
});

Deno.test("logs never contain token values", async () => {
  const clock = new FakeClock(T0);
  const { logger, sink } = memoryLogger();
  const endpoints = new FakeEndpoints();
  const store = new SqliteTokenStore(":memory:", { box, clock, logger });
  const manager = new TokenManager({ store, endpoints, apps: testApps(), clock, logger });
  const t1 = await manager.getTenantToken("cli_test");
  await clock.tick(LIFETIME_MS * 0.95);
  await manager.getTenantToken("cli_test");
  await manager.idle();
  await manager.invalidate("tenant:cli_test", "t-fake-tenant-2");
  await manager.saveUserTokens("cli_test", "ou_1", {
    accessToken: "u-secret-user-access",
    expiresIn: 60,
    refreshToken: "ur-secret-refresh",
  });
  await clock.tick(120_000);
  await manager.getUserToken("cli_test", "ou_1");
  assert.ok(sink.records.length >= 4, "the flow is logged");
  const text = JSON.stringify(sink.records);
  for (const secret of [t1, "t-fake-tenant-2", "u-secret-user-access", "ur-secret-refresh", "secret-1"]) {
    assert.ok(!text.includes(secret), `log leaks ${secret}`);
  }
  store.close();
});
