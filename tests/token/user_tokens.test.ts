import assert from "node:assert/strict";
import { AuthError, ConfigError, errorFromResponse, LarkError, NetworkError } from "../../lib/errors/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { MemoryTokenStore, SqliteTokenStore, TokenManager, type TokenStore } from "../../lib/token/mod.ts";
import { FakeEndpoints, SpyStore, testApps } from "./_fakes.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";

const box = await testSecretBox();

const T0 = 1_700_000_000_000;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const KEY = "user:cli_test:ou_1";

async function setup(store: TokenStore = new SqliteTokenStore(":memory:", { box })) {
  const clock = new FakeClock(T0);
  const endpoints = new FakeEndpoints();
  const manager = new TokenManager({ store, endpoints, apps: testApps(), clock });
  await manager.saveUserTokens("cli_test", "ou_1", {
    accessToken: "u-initial-access",
    expiresIn: 7200,
    refreshToken: "ur-initial-refresh",
    refreshExpiresIn: 7 * 86400,
    scope: "offline_access",
  });
  return { clock, endpoints, manager, store };
}

function isRefreshAuthError(e: unknown): boolean {
  assert.ok(e instanceof AuthError, `expected AuthError, got ${e}`);
  assert.equal(e.tokenKind, "refresh");
  assert.match(e.hint, /重新授权/);
  return true;
}

Deno.test("saved user token is served without a network call", async () => {
  const { endpoints, manager } = await setup();
  assert.equal(await manager.getUserToken("cli_test", "ou_1"), "u-initial-access");
  assert.equal(endpoints.calls.refresh, 0);
  assert.equal(await manager.userStatus("cli_test", "ou_1"), "authorized");
  assert.equal(await manager.userStatus("cli_test", "ou_2"), "not_authorized");
});

Deno.test("rotation: the new refresh token is committed before the new access token reaches a caller", async () => {
  const spy = new SpyStore(new MemoryTokenStore());
  const { clock, endpoints, manager } = await setup(spy);
  spy.events.length = 0;
  let storedWhenEndpointReturned: string | undefined;
  endpoints.refresh = async (n) => {
    storedWhenEndpointReturned = (await spy.get(KEY))?.refreshToken;
    spy.events.push("endpoint_returned");
    return { accessToken: `u-new-access-${n}`, expiresIn: 7200, refreshToken: `ur-new-refresh-${n}` };
  };
  await clock.tick(2 * HOUR);
  const got = manager.getUserToken("cli_test", "ou_1").then(async (t) => {
    spy.events.push(`caller_got:${t}`);
    return { token: t, storedNow: (await spy.get(KEY))?.refreshToken };
  });
  const { token, storedNow } = await got;
  assert.equal(token, "u-new-access-1");
  assert.equal(storedWhenEndpointReturned, "ur-initial-refresh");
  assert.equal(storedNow, "ur-new-refresh-1");
  assert.deepEqual(spy.events, [
    "endpoint_returned",
    "put:active:ur-new-refresh-1",
    "caller_got:u-new-access-1",
  ]);
  assert.deepEqual(endpoints.refreshTokensSeen, ["ur-initial-refresh"]);

  // The next refresh presents the rotated token.
  await clock.tick(2 * HOUR);
  await manager.getUserToken("cli_test", "ou_1");
  assert.deepEqual(endpoints.refreshTokensSeen, ["ur-initial-refresh", "ur-new-refresh-1"]);
});

Deno.test("rotation: when the new refresh token cannot be stored, the new access token is not returned", async () => {
  const spy = new SpyStore(new MemoryTokenStore());
  const { clock, endpoints, manager } = await setup(spy);
  spy.failPut = (r) => r.refreshToken === "ur-fake-refresh-1";
  await clock.tick(2 * HOUR);
  await assert.rejects(manager.getUserToken("cli_test", "ou_1"), (e: unknown) => {
    assert.ok(e instanceof LarkError);
    assert.match(e.message, /refresh_token 失败/);
    return true;
  });
  assert.equal(endpoints.calls.refresh, 1);
});

Deno.test("20064 (refresh revoked): record set aside, not deleted; AuthError asks to re-authorize", async () => {
  const { clock, endpoints, manager, store } = await setup();
  endpoints.refresh = () => {
    throw errorFromResponse({ code: 20064, msg: "refresh token revoked", httpStatus: 400 });
  };
  await clock.tick(2 * HOUR);
  await assert.rejects(manager.getUserToken("cli_test", "ou_1"), (e: unknown) => {
    isRefreshAuthError(e);
    assert.equal((e as AuthError).code, 20064);
    return true;
  });
  const rec = await store.get(KEY);
  assert.ok(rec, "record must be kept");
  assert.equal(rec.status, "set_aside");
  assert.equal(rec.refreshToken, "ur-initial-refresh");
  assert.equal(await manager.userStatus("cli_test", "ou_1"), "set_aside");
  // Later calls fail fast, without presenting the dead refresh token again.
  await assert.rejects(manager.getUserToken("cli_test", "ou_1"), isRefreshAuthError);
  assert.equal(endpoints.calls.refresh, 1);
  // A new login replaces the set-aside record.
  await manager.saveUserTokens("cli_test", "ou_1", { accessToken: "u-relogin", expiresIn: 7200 });
  assert.equal(await manager.getUserToken("cli_test", "ou_1"), "u-relogin");
  assert.equal(await manager.userStatus("cli_test", "ou_1"), "authorized");
});

for (const code of [20026, 20037, 20073, 99991669]) {
  Deno.test(`refresh code ${code}: login gone → set aside`, async () => {
    const { clock, endpoints, manager, store } = await setup();
    endpoints.refresh = () => {
      throw errorFromResponse({ code, msg: "x", httpStatus: 400 });
    };
    await clock.tick(2 * HOUR);
    await assert.rejects(manager.getUserToken("cli_test", "ou_1"), isRefreshAuthError);
    assert.equal((await store.get(KEY))?.status, "set_aside");
  });
}

for (
  const [name, error] of [
    ["network error", new NetworkError("connection reset")],
    ["5xx after retries", errorFromResponse({ code: 20050, msg: "server error", httpStatus: 500 })],
    ["unknown code", errorFromResponse({ code: 20063, msg: "malformed", httpStatus: 400 })],
  ] as const
) {
  Deno.test(`unclear refresh failure (${name}): set aside, kept, throws`, async () => {
    const { clock, endpoints, manager, store } = await setup();
    endpoints.refresh = () => {
      throw error;
    };
    await clock.tick(2 * HOUR);
    await assert.rejects(manager.getUserToken("cli_test", "ou_1"), (e: unknown) => {
      isRefreshAuthError(e);
      assert.equal((e as Error).cause, error);
      return true;
    });
    const rec = await store.get(KEY);
    assert.equal(rec?.status, "set_aside");
    assert.equal(rec?.refreshToken, "ur-initial-refresh");
  });
}

Deno.test("ConfigError during refresh (bad secret) leaves the login untouched", async () => {
  const { clock, endpoints, manager, store } = await setup();
  endpoints.refresh = () => {
    throw errorFromResponse({ code: 20002, msg: "bad secret", httpStatus: 400 });
  };
  await clock.tick(2 * HOUR);
  await assert.rejects(manager.getUserToken("cli_test", "ou_1"), ConfigError);
  assert.equal((await store.get(KEY))?.status, "active");
});

Deno.test("user refresh ahead: still-valid token served while one background refresh rotates", async () => {
  const { clock, endpoints, manager, store } = await setup();
  await clock.tick(7200_000 * 0.95);
  const during = await Promise.all(
    Array.from({ length: 30 }, () => manager.getUserToken("cli_test", "ou_1")),
  );
  assert.ok(during.every((t) => t === "u-initial-access"));
  await manager.idle();
  assert.equal(endpoints.calls.refresh, 1);
  assert.equal(await manager.getUserToken("cli_test", "ou_1"), "u-fake-access-1");
  assert.equal((await store.get(KEY))?.refreshToken, "ur-fake-refresh-1");
});

Deno.test("invalidate keeps the refresh token; userAuth asks for a retry only while refreshable", async () => {
  const { endpoints, manager, store } = await setup();
  const auth = manager.userAuth("cli_test", "ou_1");
  const h = await auth.headers();
  assert.deepEqual(h, { Authorization: "Bearer u-initial-access" });
  assert.equal(await auth.invalidate!(h), true);
  const rec = await store.get(KEY);
  assert.equal(rec?.accessToken, "");
  assert.equal(rec?.refreshToken, "ur-initial-refresh");
  assert.deepEqual(await auth.headers(), { Authorization: "Bearer u-fake-access-1" });
  assert.equal(endpoints.calls.refresh, 1);

  endpoints.refresh = () => {
    throw errorFromResponse({ code: 20064, msg: "revoked", httpStatus: 400 });
  };
  assert.equal(await auth.invalidate!({ authorization: "Bearer u-fake-access-1" }), true);
  await assert.rejects(auth.headers(), isRefreshAuthError);
  // Now set aside: a refused token cannot be fixed by retrying.
  assert.equal(await auth.invalidate!({ Authorization: "Bearer u-whatever" }), false);
});

Deno.test("keep-alive refreshes only users whose refresh token expires soon; listUsers hides tokens", async () => {
  const { clock, endpoints, manager } = await setup();
  await manager.saveUserTokens("cli_test", "ou_2", {
    accessToken: "u-second-access",
    expiresIn: 7200,
    refreshToken: "ur-second-refresh",
    refreshExpiresIn: 30 * 86400,
  });
  await manager.saveUserTokens("cli_test", "ou_3", { accessToken: "u-third", expiresIn: 7200 });
  await clock.tick(6.5 * DAY); // ou_1's refresh token has half a day left
  const result = await manager.refreshIdleUserTokens("cli_test", { withinMs: DAY });
  assert.deepEqual(result.refreshed, ["ou_1"]);
  assert.deepEqual(result.skipped.sort(), ["ou_2", "ou_3"]);
  assert.deepEqual(result.failed, []);
  assert.deepEqual(endpoints.refreshTokensSeen, ["ur-initial-refresh"]);

  const again = await manager.refreshIdleUserTokens("cli_test", { withinMs: DAY });
  assert.deepEqual(again.refreshed, []);
  assert.equal(endpoints.calls.refresh, 1);

  const users = await manager.listUsers("cli_test");
  assert.deepEqual(users.map((u) => [u.userId, u.status]), [
    ["ou_1", "authorized"],
    ["ou_2", "authorized"],
    ["ou_3", "expired"],
  ]);
  assert.equal(users[0].refreshExpiresAt, clock.now() + 604800_000);
  assert.doesNotMatch(JSON.stringify(users), /u-|ur-/);
});

Deno.test("no stored login: AuthError asking to authorize, no network call", async () => {
  const { endpoints, manager } = await setup();
  await assert.rejects(manager.getUserToken("cli_test", "ou_nobody"), isRefreshAuthError);
  assert.equal(endpoints.calls.refresh, 0);
});
