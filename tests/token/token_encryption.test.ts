/**
 * Issue 7 §3: tokens encrypted at rest, owner-only files, and a wrong key that is a clear
 * error instead of a silent re-authorisation. Each test fails on the code before the fix
 * (plain JSON rows, mode 0644, an undecryptable row silently treated as a miss).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ConfigError } from "../../lib/errors/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";
import { SqliteTokenStore, tokenKey, TokenManager, type TokenRecord } from "../../lib/token/mod.ts";
import { FakeEndpoints, memoryLogger, testApps } from "./_fakes.ts";

const T0 = 1_700_000_000_000;
const box = await testSecretBox(1);
const otherBox = await testSecretBox(2);
const POSIX = Deno.build.os !== "windows";

const USER_ACCESS = "u-user-access-0123456789";
const USER_REFRESH = "ur-user-refresh-0123456789";

function userRecord(userId = "ou_1"): TokenRecord {
  return {
    key: tokenKey({ kind: "user", appId: "cli_test", userId }),
    kind: "user",
    appId: "cli_test",
    userId,
    accessToken: USER_ACCESS,
    issuedAt: T0,
    expiresAt: T0 + 7200_000,
    refreshToken: USER_REFRESH,
    refreshExpiresAt: T0 + 30 * 86400_000,
    scope: "offline_access",
    status: "active",
    updatedAt: T0,
  };
}

function tenantRecord(token = "t-tenant-0123456789"): TokenRecord {
  return {
    key: "tenant:cli_test",
    kind: "tenant",
    appId: "cli_test",
    accessToken: token,
    issuedAt: T0,
    expiresAt: T0 + 7200_000,
    updatedAt: T0,
  };
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "token_enc_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function allBytes(path: string): Promise<string> {
  let text = "";
  for (const f of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      text += new TextDecoder("latin1").decode(await Deno.readFile(f));
    } catch { /* absent */ }
  }
  return text;
}

Deno.test("token values are not on disk in clear (database and WAL)", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/tokens.sqlite`;
    const store = new SqliteTokenStore(path, { box });
    await store.put(userRecord());
    await store.put(tenantRecord());
    assert.equal((await store.get(userRecord().key))?.refreshToken, USER_REFRESH);
    const disk = await allBytes(path);
    for (const secret of [USER_ACCESS, USER_REFRESH, "t-tenant-0123456789"]) {
      assert.ok(!disk.includes(secret), `${secret} is stored in clear`);
    }
    store.close();
  });
});

Deno.test("state folder 0700; database, -wal and -shm 0600 (also tightened when an old file was 0644)", async () => {
  if (!POSIX) return;
  await withDir(async (dir) => {
    const path = `${dir}/state/tokens.sqlite`;
    const store = new SqliteTokenStore(path, { box });
    await store.put(tenantRecord());
    assert.equal((await Deno.stat(`${dir}/state`)).mode! & 0o777, 0o700);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) {
      assert.equal((await Deno.stat(f)).mode! & 0o777, 0o600, f);
    }
    store.close();
    await Deno.chmod(path, 0o644);
    const again = new SqliteTokenStore(path, { box });
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    again.close();
  });
});

Deno.test("a wrong key with user tokens stored is a ConfigError at open (密钥不对), no re-authorisation", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/tokens.sqlite`;
    const store = new SqliteTokenStore(path, { box });
    await store.put(userRecord());
    store.close();
    assert.throws(
      () => new SqliteTokenStore(path, { box: otherBox }),
      (e) => e instanceof ConfigError && /密钥不对/.test(e.hint ?? "") && /FEISHU_KIT_KEY/.test(e.hint ?? ""),
    );
    // The right key still opens everything.
    const back = new SqliteTokenStore(path, { box });
    assert.equal((await back.get(userRecord().key))?.accessToken, USER_ACCESS);
    back.close();
  });
});

Deno.test("a user row that does not decrypt is a ConfigError, never a miss that asks the user to re-authorise", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/tokens.sqlite`;
    const clock = new FakeClock(T0);
    const store = new SqliteTokenStore(path, { box, clock });
    await store.put(userRecord("ou_1"));
    await store.put(userRecord("ou_2"));
    // Copy ou_2's sealed row over ou_1's: the associated data (row key) no longer matches.
    const raw = new DatabaseSync(path);
    const { data } = raw.prepare("SELECT data FROM tokens WHERE key = ?").get("user:cli_test:ou_2") as {
      data: string;
    };
    raw.prepare("UPDATE tokens SET data = ? WHERE key = ?").run(data, "user:cli_test:ou_1");
    raw.close();
    await assert.rejects(() => store.get("user:cli_test:ou_1"), (e) => e instanceof ConfigError);
    const endpoints = new FakeEndpoints();
    const manager = new TokenManager({ store, endpoints, apps: testApps(), clock });
    await assert.rejects(() => manager.getUserToken("cli_test", "ou_1"), (e) => e instanceof ConfigError);
    assert.equal(endpoints.calls.refresh, 0, "no refresh, no re-authorisation");
    assert.equal(await manager.getUserToken("cli_test", "ou_2"), USER_ACCESS);
    store.close();
  });
});

Deno.test("a tenant row that does not decrypt is re-fetched with a WARN; a key change with only tenant tokens warns", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/tokens.sqlite`;
    const clock = new FakeClock(T0);
    const first = new SqliteTokenStore(path, { box, clock });
    await first.put(tenantRecord("t-old-tenant-token-xyz"));
    first.close();
    const { logger, sink } = memoryLogger();
    const store = new SqliteTokenStore(path, { box: otherBox, clock, logger });
    assert.ok(sink.records.some((r) => r.level === "warn" && r.event === "token_store.key_changed"));
    const endpoints = new FakeEndpoints();
    const manager = new TokenManager({ store, endpoints, apps: testApps(), clock });
    const token = await manager.getTenantToken("cli_test");
    assert.notEqual(token, "t-old-tenant-token-xyz");
    assert.equal(endpoints.calls.tenant, 1);
    assert.ok(sink.records.some((r) => r.level === "warn" && r.event === "token_store.undecryptable"));
    store.close();
  });
});

Deno.test("plaintext rows of older versions are read, then encrypted in place", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/tokens.sqlite`;
    const raw = new DatabaseSync(path);
    raw.exec(`CREATE TABLE tokens (key TEXT PRIMARY KEY, app_id TEXT NOT NULL, kind TEXT NOT NULL,
      data TEXT NOT NULL, updated_at INTEGER NOT NULL)`);
    const rec = userRecord();
    raw.prepare("INSERT INTO tokens VALUES (?, ?, ?, ?, ?)").run(
      rec.key,
      rec.appId,
      rec.kind,
      JSON.stringify(rec),
      T0,
    );
    raw.close();
    const store = new SqliteTokenStore(path, { box });
    assert.equal((await store.get(rec.key))?.refreshToken, USER_REFRESH);
    store.close();
    const check = new DatabaseSync(path);
    const row = check.prepare("SELECT data FROM tokens WHERE key = ?").get(rec.key) as { data: string };
    check.close();
    assert.match(row.data, /^v1:/);
    assert.ok(!row.data.includes(USER_REFRESH));
  });
});

Deno.test("token keys with a NUL or a lone surrogate round-trip and stay distinct", async () => {
  const store = new SqliteTokenStore(":memory:", { box });
  try {
    const ids = ["ou\u0000a", "ou\u0000b", "ou\uD800", "ou\uD801"];
    for (const id of ids) await store.put({ ...userRecord(id), accessToken: `u-${id}` });
    const listed = await store.list({ kind: "user" });
    assert.deepEqual(listed.map((r) => r.userId).sort(), [...ids].sort());
    for (const id of ids) assert.equal((await store.get(userRecord(id).key))?.accessToken, `u-${id}`);
  } finally {
    store.close();
  }
});
