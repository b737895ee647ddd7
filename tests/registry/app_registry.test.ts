import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ConfigError, NotFoundError } from "../../lib/errors/mod.ts";
import {
  AppDisabledError,
  type AppRegistry,
  registryAppResolver,
  SqliteAppRegistry,
} from "../../lib/registry/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";
import { MemoryTokenStore, TokenManager } from "../../lib/token/mod.ts";
import { FakeEndpoints, memoryLogger } from "../token/_fakes.ts";

const box = await testSecretBox();
const otherBox = await testSecretBox(9);
const T0 = 1_700_000_000_000;
const APP = "cli_a1b2c3d4e5f60718";
const SECRET = "S3cr3t-value-XYZ";

async function tempRegistry() {
  const dir = await Deno.makeTempDir({ prefix: "registry_" });
  const path = `${dir}/apps.sqlite`;
  return { path, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

function rawDb(path: string) {
  return new DatabaseSync(path);
}

Deno.test("registry: add/list/show/update/disable/enable/remove, each in the append-only change log", async () => {
  const t = await tempRegistry();
  const clock = new FakeClock(T0);
  const reg = new SqliteAppRegistry(t.path, { box, clock });
  try {
    const added = await reg.add(
      { appId: APP, appSecret: SECRET, name: "审批机器人", description: "HR" },
      "alice",
    );
    assert.deepEqual(added, {
      appId: APP,
      name: "审批机器人",
      description: "HR",
      status: "active",
      createdBy: "alice",
      createdAt: T0,
      updatedAt: T0,
    });
    await reg.add({ appId: "cli_zzzz0001", appSecret: "other-secret" }, "bob");
    assert.deepEqual((await reg.list()).map((a) => [a.appId, a.name]), [[APP, "审批机器人"], [
      "cli_zzzz0001",
      "cli_zzzz0001",
    ]]);
    assert.equal((await reg.credentials(APP))?.appSecret, SECRET);

    await clock.tick(1000);
    const updated = await reg.update(APP, { name: "审批", appSecret: "new-secret-1" }, "carol");
    assert.equal(updated.name, "审批");
    assert.equal(updated.updatedAt, T0 + 1000);
    assert.equal(updated.createdAt, T0);
    assert.equal((await reg.credentials(APP))?.appSecret, "new-secret-1");
    assert.equal((await reg.setStatus(APP, "disabled", "dave")).status, "disabled");
    assert.equal((await reg.setStatus(APP, "disabled", "dave")).status, "disabled"); // no-op, not logged
    assert.equal((await reg.setStatus(APP, "active", "erin")).status, "active");
    await reg.remove("cli_zzzz0001", "frank");
    assert.equal(await reg.get("cli_zzzz0001"), undefined);
    assert.equal(await reg.credentials("cli_zzzz0001"), undefined);

    const log = await reg.audit();
    assert.deepEqual(log.map((e) => [e.action, e.actor, e.appId]), [
      ["remove", "frank", "cli_zzzz0001"],
      ["enable", "erin", APP],
      ["disable", "dave", APP],
      ["update", "carol", APP],
      ["add", "bob", "cli_zzzz0001"],
      ["add", "alice", APP],
    ]);
    assert.deepEqual(log[3].changes, { name: { from: "审批机器人", to: "审批" }, app_secret: "changed" });
    assert.equal(log[3].at, T0 + 1000);
    assert.deepEqual((await reg.audit({ appId: APP, limit: 2 })).map((e) => e.action), ["enable", "disable"]);
    assert.equal(await reg.version(), 6);

    // Never a secret in the log, nor in clear anywhere in the file.
    const text = JSON.stringify(log);
    for (const s of [SECRET, "new-secret-1", "other-secret"]) assert.ok(!text.includes(s));
    reg.close();
    const bytes = new TextDecoder("latin1").decode(await Deno.readFile(t.path));
    for (const s of [SECRET, "new-secret-1"]) assert.ok(!bytes.includes(s), "secret stored sealed");
    if (Deno.build.os !== "windows") assert.equal((await Deno.stat(t.path)).mode! & 0o777, 0o600);

    const db = rawDb(t.path);
    assert.throws(() => db.exec("UPDATE app_changes SET actor = 'mallory'"), /append-only/);
    assert.throws(() => db.exec("DELETE FROM app_changes"), /append-only/);
    db.close();
  } finally {
    reg.close();
    await t.cleanup();
  }
});

Deno.test("registry: invalid input is a ConfigError naming the field; unknown app a NotFoundError", async () => {
  const reg = new SqliteAppRegistry(":memory:", { box });
  try {
    await assert.rejects(reg.add({ appId: "not-an-app", appSecret: "x" }, "a"), /invalid app_id/);
    await assert.rejects(reg.add({ appId: APP, appSecret: "" }, "a"), /invalid app_secret/);
    await assert.rejects(reg.add({ appId: APP, appSecret: "has space" }, "a"), /invalid app_secret/);
    await assert.rejects(reg.add({ appId: APP, appSecret: "x" }, " "), /invalid actor/);
    await reg.add({ appId: APP, appSecret: SECRET }, "a");
    await assert.rejects(reg.add({ appId: APP, appSecret: SECRET }, "a"), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.userMessage(), /已登记/);
      return true;
    });
    await assert.rejects(reg.update("cli_missing1", { name: "x" }, "a"), NotFoundError);
    await assert.rejects(reg.setStatus(APP, "paused" as "active", "a"), /invalid status/);
    assert.equal((await reg.audit()).length, 1, "failed changes leave no log entry");
  } finally {
    reg.close();
  }
});

Deno.test("registry encryption: wrong key refused at open; tampered ciphertext reported, never used", async () => {
  const t = await tempRegistry();
  try {
    const reg = new SqliteAppRegistry(t.path, { box });
    await reg.add({ appId: APP, appSecret: SECRET }, "a");
    await reg.add({ appId: "cli_zzzz0001", appSecret: "other-secret" }, "a");
    reg.close();

    assert.throws(() => new SqliteAppRegistry(t.path, { box: otherBox }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.userMessage(), /密钥不对/);
      return true;
    });

    const db = rawDb(t.path);
    const sealed =
      (db.prepare("SELECT secret FROM apps WHERE app_id = ?").get(APP) as { secret: string }).secret;
    const flipped = sealed.slice(0, 10) + (sealed[10] === "A" ? "B" : "A") + sealed.slice(11);
    db.prepare("UPDATE apps SET secret = ? WHERE app_id = ?").run(flipped, APP);
    // A secret moved to another app's row does not open either (the app id is bound in).
    const other = (db.prepare("SELECT secret FROM apps WHERE app_id = ?").get("cli_zzzz0001") as {
      secret: string;
    }).secret;
    db.close();

    const { logger, sink } = memoryLogger();
    const again = new SqliteAppRegistry(t.path, { box, logger });
    try {
      await assert.rejects(again.credentials(APP), (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.userMessage(), /无法解密/);
        return true;
      });
      const listed = await again.list();
      assert.match(listed.find((a) => a.appId === APP)?.problem ?? "", /无法解密/);
      assert.equal(listed.find((a) => a.appId === "cli_zzzz0001")?.problem, undefined);
      assert.ok(sink.records.some((r) => r.level === "error" && r.app_id === APP));

      const endpoints = new FakeEndpoints();
      const tokens = new TokenManager({
        store: new MemoryTokenStore(),
        endpoints,
        apps: registryAppResolver(again),
      });
      await assert.rejects(tokens.getTenantToken(APP), ConfigError);
      assert.equal(endpoints.calls.tenant, 0, "no request with an unusable secret");

      // Rotation is refused while a row does not decrypt, and changes nothing.
      await assert.rejects(again.rotateKey(otherBox, "a"), /无法更换密钥|cannot rotate/);
      assert.equal((await again.credentials("cli_zzzz0001"))?.appSecret, "other-secret");

      const db2 = rawDb(t.path);
      db2.prepare("UPDATE apps SET secret = ? WHERE app_id = ?").run(other, APP);
      db2.close();
      await assert.rejects(again.credentials(APP), ConfigError);
    } finally {
      again.close();
    }
  } finally {
    await t.cleanup();
  }
});

Deno.test("registry rotate-key: every secret re-encrypted in one go; only the new key opens it", async () => {
  const t = await tempRegistry();
  try {
    const reg = new SqliteAppRegistry(t.path, { box });
    await reg.add({ appId: APP, appSecret: SECRET }, "a");
    await reg.add({ appId: "cli_zzzz0001", appSecret: "other-secret" }, "a");
    const before = rawDb(t.path).prepare("SELECT secret FROM apps ORDER BY app_id").all() as {
      secret: string;
    }[];
    assert.deepEqual(await reg.rotateKey(otherBox, "ops"), { apps: 2 });
    assert.equal((await reg.credentials(APP))?.appSecret, SECRET, "the open registry uses the new key");
    const entry = (await reg.audit())[0];
    assert.equal(entry.action, "rotate_key");
    assert.deepEqual(entry.changes.key_fingerprint, { from: box.fingerprint, to: otherBox.fingerprint });
    reg.close();

    const after = rawDb(t.path).prepare("SELECT secret FROM apps ORDER BY app_id").all() as {
      secret: string;
    }[];
    assert.notDeepEqual(after, before);
    assert.throws(() => new SqliteAppRegistry(t.path, { box }), /another key/);
    const reopened = new SqliteAppRegistry(t.path, { box: otherBox });
    assert.equal((await reopened.credentials("cli_zzzz0001"))?.appSecret, "other-secret");
    reopened.close();
  } finally {
    await t.cleanup();
  }
});

Deno.test("registry + token manager: lazy, changes by another process seen within the poll, disabled refused before any request", async () => {
  const t = await tempRegistry();
  const clock = new FakeClock(T0);
  const admin = new SqliteAppRegistry(t.path, { box, clock }); // e.g. `deno task apps` elsewhere
  const served = new SqliteAppRegistry(t.path, { box, clock }); // the service's own connection
  let reads = 0;
  const counting: AppRegistry = Object.assign(Object.create(served), {
    credentials: (id: string) => {
      reads++;
      return served.credentials(id);
    },
    version: () => served.version(),
  });
  try {
    await admin.add({ appId: APP, appSecret: SECRET }, "alice");
    const endpoints = new FakeEndpoints();
    const apps = registryAppResolver(counting, { pollMs: 1000, clock });
    const tokens = new TokenManager({ store: new MemoryTokenStore({ clock }), endpoints, apps, clock });
    assert.equal(reads, 0, "nothing read at start-up");

    assert.equal(await tokens.getTenantToken(APP), "t-fake-tenant-1");
    assert.deepEqual(endpoints.secretsSeen, [SECRET]);
    await tokens.getTenantToken(APP);
    assert.equal(reads, 1, "cached between changes");

    await admin.setStatus(APP, "disabled", "alice");
    await clock.tick(1000);
    await assert.rejects(tokens.getTenantToken(APP), (e: unknown) => {
      assert.ok(e instanceof AppDisabledError);
      assert.equal(e.appId, APP);
      assert.match(e.userMessage(), /已停用/);
      return true;
    });
    assert.equal(endpoints.calls.tenant, 1, "no request for a disabled app");

    await admin.setStatus(APP, "active", "alice");
    await admin.update(APP, { appSecret: "rotated-secret" }, "alice");
    await admin.add({ appId: "cli_new00001", appSecret: "new-app-secret" }, "alice");
    await clock.tick(1000);
    await tokens.getTenantToken("cli_new00001");
    assert.equal(endpoints.secretsSeen.at(-1), "new-app-secret", "an app added elsewhere is usable");
    await admin.remove("cli_new00001", "alice");
    await clock.tick(1000);
    await assert.rejects(tokens.getTenantToken("cli_new00001"), /未配置应用/);
  } finally {
    admin.close();
    served.close();
    await t.cleanup();
  }
});

Deno.test("registry resolver: the registry unreachable → cached apps keep being served (ERROR logged), new ones fail", async () => {
  const clock = new FakeClock(T0);
  const reg = new SqliteAppRegistry(":memory:", { box, clock });
  let down = false;
  const flaky: AppRegistry = Object.assign(Object.create(reg), {
    version: () => down ? Promise.reject(new Error("connect ECONNREFUSED")) : reg.version(),
    credentials: (id: string) =>
      down ? Promise.reject(new Error("connect ECONNREFUSED")) : reg.credentials(id),
  });
  try {
    await reg.add({ appId: APP, appSecret: SECRET }, "a");
    await reg.add({ appId: "cli_zzzz0001", appSecret: "other-secret" }, "a");
    const { logger, sink } = memoryLogger();
    const apps = registryAppResolver(flaky, { clock, logger, pollMs: 1000 });
    assert.equal((await apps(APP))?.appSecret, SECRET);
    down = true;
    await clock.tick(1000);
    assert.equal((await apps(APP))?.appSecret, SECRET, "served from the cache");
    assert.ok(sink.records.some((r) => r.level === "error" && r.event === "registry.unavailable"));
    await assert.rejects(Promise.resolve(apps("cli_zzzz0001")), /ECONNREFUSED/);
    down = false;
    await clock.tick(1000);
    assert.equal((await apps("cli_zzzz0001"))?.appSecret, "other-secret");
  } finally {
    reg.close();
  }
});
