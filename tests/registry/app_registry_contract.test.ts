/**
 * The app registry contract, run against SQLite (the default) and PostgreSQL (own random
 * schema per run, dropped at the end).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import type { SecretBox } from "../../lib/crypto/mod.ts";
import { ConfigError, NetworkError, NotFoundError } from "../../lib/errors/mod.ts";
import {
  AppDisabledError,
  type AppRegistry,
  openAppRegistry,
  registryAppResolver,
} from "../../lib/registry/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { PG_TEST_URL, postgresForTests, testSchema } from "../../lib/testing/postgres_test_schema.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";
import { MemoryTokenStore, TokenManager } from "../../lib/token/mod.ts";
import { FakeEndpoints } from "../token/_fakes.ts";

const box = await testSecretBox();
const otherBox = await testSecretBox(11);
const pg = await postgresForTests();
const APP = "cli_a1b2c3d4e5f60718";
const T0 = 1_700_000_000_000;

interface Backend {
  open(box: SecretBox, clock?: FakeClock): Promise<AppRegistry>;
  secret(appId: string): Promise<string>;
  setSecret(appId: string, sealed: string): Promise<void>;
  /** Try to rewrite the change log behind the registry's back. */
  editLog(): Promise<void>;
  cleanup(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dir = await Deno.makeTempDir({ prefix: "registry_contract_" });
  const path = `${dir}/apps.sqlite`;
  const open: AppRegistry[] = [];
  const raw = (fn: (db: DatabaseSync) => unknown) => {
    const db = new DatabaseSync(path);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    async open(b, clock) {
      const r = await openAppRegistry(`sqlite://${path}`, { box: b, clock });
      open.push(r);
      return r;
    },
    secret: (id) =>
      Promise.resolve(
        raw((db) =>
          (db.prepare("SELECT secret FROM apps WHERE app_id = ?").get(id) as { secret: string }).secret
        ) as string,
      ),
    setSecret: (id, s) =>
      Promise.resolve(void raw((db) => db.prepare("UPDATE apps SET secret = ? WHERE app_id = ?").run(s, id))),
    // deno-lint-ignore require-await
    editLog: async () => void raw((db) => db.exec("UPDATE app_changes SET actor = 'mallory'")),
    async cleanup() {
      for (const r of open) r.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function postgresBackend(): Backend {
  const schema = testSchema();
  const admin = postgres(PG_TEST_URL, { max: 1, onnotice: () => {} });
  const open: AppRegistry[] = [];
  return {
    async open(b, clock) {
      const r = await openAppRegistry(schema.url, { box: b, clock });
      open.push(r);
      return r;
    },
    async secret(id) {
      return (await admin.unsafe(`SELECT secret FROM "${schema.name}".apps WHERE app_id = $1`, [id]))[0]
        .secret;
    },
    async setSecret(id, s) {
      await admin.unsafe(`UPDATE "${schema.name}".apps SET secret = $1 WHERE app_id = $2`, [s, id]);
    },
    async editLog() {
      await admin.unsafe(`UPDATE "${schema.name}".app_changes SET actor = 'mallory'`);
    },
    async cleanup() {
      for (const r of open) await (r as AppRegistry & { end(): Promise<void> }).end();
      await schema.drop();
      await admin.end({ timeout: 1 });
    },
  };
}

const backends = [
  { name: "sqlite", make: sqliteBackend as () => Promise<Backend> | Backend, ignore: false },
  { name: "postgres", make: postgresBackend as () => Promise<Backend> | Backend, ignore: pg.ignore },
];

for (const { name, make, ignore } of backends) {
  Deno.test({
    name: `${name} registry contract: CRUD, change log (append-only, no secrets), version counter`,
    ignore,
    async fn() {
      const b = await make();
      try {
        const clock = new FakeClock(T0);
        const reg = await b.open(box, clock);
        const v0 = await reg.version();
        await reg.add({ appId: APP, appSecret: "first-secret", name: "审批" }, "alice");
        await assert.rejects(reg.add({ appId: APP, appSecret: "x" }, "alice"), ConfigError);
        await clock.tick(500);
        await reg.update(APP, { description: "HR", appSecret: "second-secret" }, "bob");
        await reg.setStatus(APP, "disabled", "carol");
        assert.equal((await reg.credentials(APP))?.appSecret, "second-secret");
        assert.equal((await reg.get(APP))?.updatedAt, T0 + 500);
        await reg.add({ appId: "cli_other0001", appSecret: "other" }, "dave");
        await reg.remove("cli_other0001", "dave");
        await assert.rejects(reg.remove("cli_other0001", "dave"), NotFoundError);
        assert.deepEqual((await reg.list()).map((a) => [a.appId, a.status, a.description]), [[
          APP,
          "disabled",
          "HR",
        ]]);
        const log = await reg.audit();
        assert.deepEqual(log.map((e) => e.action), ["remove", "add", "disable", "update", "add"]);
        assert.deepEqual(log[3].changes, { description: { from: "", to: "HR" }, app_secret: "changed" });
        assert.ok(!JSON.stringify(log).includes("second-secret"));
        assert.equal(await reg.version(), v0 + 5);
        assert.ok((await b.secret(APP)).startsWith("v1:"), "sealed at rest");
        await assert.rejects(b.editLog(), /append-only/);
      } finally {
        await b.cleanup();
      }
    },
  });

  Deno.test({
    name: `${name} registry contract: wrong key refused, tampered secret reported and never used, rotation`,
    ignore,
    async fn() {
      const b = await make();
      try {
        const reg = await b.open(box);
        await reg.add({ appId: APP, appSecret: "first-secret" }, "a");
        await reg.add({ appId: "cli_other0001", appSecret: "other" }, "a");
        await assert.rejects(
          b.open(otherBox),
          (e: unknown) => e instanceof ConfigError && /密钥不对/.test(e.hint),
        );

        const good = await b.secret(APP);
        await b.setSecret(APP, await b.secret("cli_other0001")); // another app's sealed secret
        await assert.rejects(reg.credentials(APP), ConfigError);
        assert.match((await reg.get(APP))?.problem ?? "", /无法解密/);
        await assert.rejects(reg.rotateKey(otherBox, "ops"), /cannot rotate/);
        await b.setSecret(APP, good);

        assert.deepEqual(await reg.rotateKey(otherBox, "ops"), { apps: 2 });
        assert.equal((await reg.audit())[0].action, "rotate_key");
        await assert.rejects(b.open(box), ConfigError);
        const reopened = await b.open(otherBox);
        assert.equal((await reopened.credentials(APP))?.appSecret, "first-secret");
      } finally {
        await b.cleanup();
      }
    },
  });

  Deno.test({
    name:
      `${name} registry contract: a disable by another process refuses tokens within the poll, no request`,
    ignore,
    async fn() {
      const b = await make();
      try {
        const clock = new FakeClock(T0);
        const admin = await b.open(box, clock);
        const served = await b.open(box, clock);
        await admin.add({ appId: APP, appSecret: "first-secret" }, "a");
        const endpoints = new FakeEndpoints();
        const tokens = new TokenManager({
          store: new MemoryTokenStore({ clock }),
          endpoints,
          apps: registryAppResolver(served, { clock, pollMs: 1000 }),
          clock,
        });
        await tokens.getTenantToken(APP);
        await admin.setStatus(APP, "disabled", "a");
        await clock.tick(1000);
        await assert.rejects(tokens.getTenantToken(APP), AppDisabledError);
        assert.equal(endpoints.calls.tenant, 1);
      } finally {
        await b.cleanup();
      }
    },
  });
}

Deno.test("postgres registry: an unreachable server is a retryable NetworkError with a Chinese hint", async () => {
  await assert.rejects(openAppRegistry("postgres://postgres@127.0.0.1:1/postgres", { box }), (e: unknown) => {
    assert.ok(e instanceof NetworkError && e.retryable);
    assert.match(e.userMessage(), /无法连接 PostgreSQL 应用登记库/);
    return true;
  });
});
