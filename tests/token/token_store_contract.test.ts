/**
 * The same contract run against both persistent token stores: SQLite (the default) and
 * PostgreSQL (own random schema per run, dropped at the end).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import type { SecretBox } from "../../lib/crypto/mod.ts";
import { ConfigError } from "../../lib/errors/mod.ts";
import type { Logger } from "../../lib/log/mod.ts";
import { postgresForTests, testSchema } from "../../lib/testing/postgres_test_schema.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";
import { openTokenStore, type TokenStore } from "../../lib/token/mod.ts";
import { gate, memoryLogger, tenantRecord, userRecord } from "./_fakes.ts";

const box = await testSecretBox();
const otherBox = await testSecretBox(7);
const pg = await postgresForTests();

/** One backend under test: opens stores on the same data and edits rows behind their back. */
interface Backend {
  open(options: { box: SecretBox; logger?: Logger }): TokenStore;
  /** Overwrite the stored ciphertext of `key`. */
  setRaw(key: string, data: string): Promise<void>;
  /** The stored ciphertext of `key`, or undefined when the row is gone. */
  raw(key: string): Promise<string | undefined>;
  cleanup(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dir = await Deno.makeTempDir({ prefix: "contract_" });
  const path = `${dir}/tokens.db`;
  const stores: TokenStore[] = [];
  return {
    open(o) {
      const s = openTokenStore(`sqlite://${path}`, o);
      stores.push(s);
      return s;
    },
    setRaw(key, data) {
      const db = new DatabaseSync(path);
      db.prepare("UPDATE tokens SET data = ? WHERE key = ?").run(data, key);
      db.close();
      return Promise.resolve();
    },
    raw(key) {
      const db = new DatabaseSync(path);
      const row = db.prepare("SELECT data FROM tokens WHERE key = ?").get(key) as
        | { data: string }
        | undefined;
      db.close();
      return Promise.resolve(row?.data);
    },
    async cleanup() {
      for (const s of stores) s.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function postgresBackend(): Backend {
  const schema = testSchema();
  const stores: TokenStore[] = [];
  const admin = postgres(schema.url.replace(/\?.*$/, ""), { max: 1, onnotice: () => {} });
  return {
    open(o) {
      const s = openTokenStore(schema.url, o);
      stores.push(s);
      return s;
    },
    async setRaw(key, data) {
      await admin.unsafe(`UPDATE "${schema.name}".tokens SET data = $1 WHERE key = $2`, [data, key]);
    },
    async raw(key) {
      const rows = await admin.unsafe(`SELECT data FROM "${schema.name}".tokens WHERE key = $1`, [key]);
      return rows[0]?.data;
    },
    async cleanup() {
      for (const s of stores) await (s as TokenStore & { end(): Promise<void> }).end();
      await schema.drop();
      await admin.end({ timeout: 1 });
    },
  };
}

const backends: { name: string; make: () => Promise<Backend> | Backend; ignore: boolean }[] = [
  { name: "sqlite", make: sqliteBackend, ignore: false },
  { name: "postgres", make: postgresBackend, ignore: pg.ignore },
];

for (const { name, make, ignore } of backends) {
  Deno.test({
    name: `${name} store contract: get/put/delete/list, sealed at rest`,
    ignore,
    async fn() {
      const b = await make();
      try {
        const store = b.open({ box });
        assert.equal(await store.get("tenant:cli_a"), undefined);
        await store.put(tenantRecord("cli_a", "t-1"));
        await store.put(tenantRecord("cli_b", "t-2"));
        await store.put(userRecord("cli_a", "ou_1"));
        assert.deepEqual(await store.get("tenant:cli_a"), tenantRecord("cli_a", "t-1"));
        await store.put(tenantRecord("cli_a", "t-3"));
        assert.equal((await store.get("tenant:cli_a"))?.accessToken, "t-3");
        assert.deepEqual((await store.list({ appId: "cli_a" })).map((r) => r.key), [
          "tenant:cli_a",
          "user:cli_a:ou_1",
        ]);
        assert.deepEqual((await store.list({ appId: "cli_a", kind: "user" })).map((r) => r.userId), ["ou_1"]);
        assert.equal((await store.list()).length, 3);
        const raw = await b.raw("user:cli_a:ou_1");
        assert.ok(raw && raw.startsWith("v1:"), "sealed");
        assert.ok(!raw.includes("ur-refresh") && !raw.includes("u-access"), "no token in clear");
        // A second store on the same data sees the first one's writes.
        const other = b.open({ box });
        assert.equal((await other.get("user:cli_a:ou_1"))?.refreshToken, "ur-refresh");
        await store.delete("tenant:cli_a");
        await store.delete("tenant:missing");
        assert.equal(await other.get("tenant:cli_a"), undefined);
      } finally {
        await b.cleanup();
      }
    },
  });

  Deno.test({
    name: `${name} store contract: tampered ciphertext or bad JSON is a miss logged at ERROR, then rewritten`,
    ignore,
    async fn() {
      const b = await make();
      try {
        const { logger, sink } = memoryLogger();
        const store = b.open({ box, logger });
        await store.put(tenantRecord("cli_a", "t-1"));
        await store.put(tenantRecord("cli_b", "t-2"));
        const sealed = (await b.raw("tenant:cli_a"))!;
        const flipped = sealed.slice(0, -6) + (sealed.at(-6) === "A" ? "B" : "A") + sealed.slice(-5);
        await b.setRaw("tenant:cli_a", flipped);
        await b.setRaw("tenant:cli_b", await box.seal("{oops", "tenant:cli_b"));
        assert.equal(await store.get("tenant:cli_a"), undefined);
        assert.equal(await store.get("tenant:cli_b"), undefined);
        const errors = sink.records.filter((r) => r.level === "error");
        // SQLite cannot tell a tampered row from one of an earlier key: a WARN there.
        const reported = name === "sqlite" ? sink.records.filter((r) => r.level !== "debug") : errors;
        assert.ok(reported.some((r) => r.key === "tenant:cli_a"), "tampered row reported");
        assert.ok(errors.some((r) => r.key === "tenant:cli_b"), "bad JSON row reported");
        await store.put(tenantRecord("cli_a", "t-9"));
        assert.equal((await store.get("tenant:cli_a"))?.accessToken, "t-9");
      } finally {
        await b.cleanup();
      }
    },
  });

  Deno.test({
    name: `${name} store contract: another key → tenant token a miss, user token a ConfigError`,
    ignore,
    async fn() {
      const b = await make();
      try {
        const store = b.open({ box });
        await store.put(tenantRecord("cli_a", "t-1"));
        await store.put(userRecord("cli_a", "ou_1"));
        if (name === "sqlite") {
          // SQLite refuses the whole file at open when it holds user tokens of another key.
          assert.throws(() => b.open({ box: otherBox }), ConfigError);
          return;
        }
        const wrong = b.open({ box: otherBox });
        assert.equal(await wrong.get("tenant:cli_a"), undefined);
        await assert.rejects(wrong.get("user:cli_a:ou_1"), (e: unknown) => {
          assert.ok(e instanceof ConfigError);
          assert.match(e.userMessage(), /密钥不对/);
          return true;
        });
        assert.equal(
          (await store.get("user:cli_a:ou_1"))?.refreshToken,
          "ur-refresh",
          "kept for the right key",
        );
      } finally {
        await b.cleanup();
      }
    },
  });

  Deno.test({
    name: `${name} store contract: the lock excludes another store on the same data, then hands over`,
    ignore,
    async fn() {
      const b = await make();
      try {
        const a = b.open({ box });
        const c = b.open({ box });
        const order: string[] = [];
        const hold = gate();
        const entered = gate();
        const first = a.withLock("k", 10_000, async () => {
          order.push("a-start");
          entered.open();
          await hold.promise;
          order.push("a-end");
        });
        await entered.promise;
        const second = c.withLock("k", 10_000, () => {
          order.push("c");
          return Promise.resolve(42);
        });
        // Another key is not blocked, and c is still waiting once it was served.
        assert.equal(await c.withLock("other", 5_000, () => Promise.resolve("x")), "x");
        assert.deepEqual(order, ["a-start"], "c must wait while a holds the lock");
        hold.open();
        await first;
        assert.equal(await second, 42);
        assert.deepEqual(order, ["a-start", "a-end", "c"]);
      } finally {
        await b.cleanup();
      }
    },
  });
}

for (const { name, make, ignore } of backends) {
  Deno.test({
    name: `${name} store contract: rekey re-encrypts every record; a corrupt tenant row is dropped`,
    ignore,
    async fn() {
      const b = await make();
      try {
        const store = b.open({ box }) as TokenStore & {
          rekey(next: SecretBox): Promise<{ records: number; dropped: number }>;
        };
        await store.put(tenantRecord("cli_a", "t-1"));
        await store.put(tenantRecord("cli_b", "t-2"));
        await store.put(userRecord("cli_a", "ou_1"));
        await b.setRaw("tenant:cli_b", "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assert.deepEqual(await store.rekey(otherBox), { records: 2, dropped: 1 });
        assert.equal(
          (await store.get("user:cli_a:ou_1"))?.refreshToken,
          "ur-refresh",
          "the store now uses the new key",
        );
        const fresh = b.open({ box: otherBox });
        assert.equal((await fresh.get("tenant:cli_a"))?.accessToken, "t-1");
        assert.equal((await fresh.get("user:cli_a:ou_1"))?.refreshToken, "ur-refresh");
        assert.equal(await b.raw("tenant:cli_b"), undefined, "the corrupt row is gone");
      } finally {
        await b.cleanup();
      }
    },
  });
}
