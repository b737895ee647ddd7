/**
 * PostgreSQL-only behaviour of the token store: outages (unreachable URL, server gone
 * mid-run) keep callers served, corrupt rows are deleted and rewritten.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { PG_TEST_URL, postgresForTests, testSchema } from "../../lib/testing/postgres_test_schema.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";
import { LarkTokenEndpoints, PostgresTokenStore, TokenManager } from "../../lib/token/mod.ts";
import { gate, memoryLogger } from "./_fakes.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { LarkError } from "../../lib/errors/mod.ts";

const box = await testSecretBox();
const pg = await postgresForTests();
const apps = (appId: string) =>
  appId === DEFAULT_APP_ID ? { appId, appSecret: DEFAULT_APP_SECRET } : undefined;

/**
 * A TCP relay to the test PostgreSQL that can be cut, like a server going away mid-run, and
 * restored on the same port; `accepted` counts the connections it took.
 */
function relay() {
  const target = new URL(PG_TEST_URL);
  let listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const conns: Deno.Conn[] = [];
  const pipes: Promise<unknown>[] = [];
  let accepted = 0;
  const serve = (l: Deno.Listener) =>
    (async () => {
      for await (const c of l) {
        accepted++;
        const up = await Deno.connect({ hostname: target.hostname, port: Number(target.port || 5432) });
        conns.push(c, up);
        pipes.push(
          c.readable.pipeTo(up.writable).catch(() => {}),
          up.readable.pipeTo(c.writable).catch(() => {}),
        );
      }
    })().catch(() => {});
  let accepting = serve(listener);
  let open = true;
  const url = new URL(PG_TEST_URL);
  url.port = String(port);
  return {
    url: url.toString(),
    get accepted() {
      return accepted;
    },
    async cut() {
      if (!open) return;
      open = false;
      listener.close();
      for (const c of conns.splice(0)) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
      await accepting;
      await Promise.all(pipes.splice(0));
    },
    restore() {
      listener = Deno.listen({ hostname: "127.0.0.1", port });
      accepting = serve(listener);
      open = true;
    },
  };
}

Deno.test("postgres store: unreachable URL → calls still succeed, each outage logged at ERROR", async () => {
  const sandbox = createSandbox();
  const server = await sandbox.listen({ port: 0 });
  const { logger, sink } = memoryLogger();
  const store = new PostgresTokenStore("postgres://postgres@127.0.0.1:1/postgres", { box, logger });
  try {
    const tokens = new TokenManager({
      store,
      endpoints: new LarkTokenEndpoints({ baseUrl: server.url }),
      apps,
    });
    const token = await tokens.getTenantToken(DEFAULT_APP_ID);
    assert.match(token, /^t-/);
    assert.equal(await tokens.getTenantToken(DEFAULT_APP_ID), token, "then served from memory");
    assert.equal(sandbox.journal.count("tenant_token"), 1);
    const errors = sink.records.filter((r) => r.level === "error");
    assert.ok(errors.some((r) => r.event === "token_store.unavailable" && r.op === "get"));
    assert.ok(errors.some((r) => r.event === "token_store.lock_unavailable"));
    await assert.rejects(store.list(), /PostgreSQL/);
    // A user token cannot be fetched again: an outage is a retryable error, not "re-authorize".
    await assert.rejects(store.get(`user:${DEFAULT_APP_ID}:ou_1`), (e: unknown) => {
      assert.ok(e instanceof LarkError && e.retryable);
      assert.match(e.userMessage(), /令牌库暂时无法访问/);
      return true;
    });
  } finally {
    await store.end();
    await server.close();
  }
});

Deno.test({
  name: "postgres store: server gone mid-run → a fresh process still gets a token; back after the outage",
  ignore: pg.ignore,
  async fn() {
    const sandbox = createSandbox();
    const server = await sandbox.listen({ port: 0 });
    const schema = testSchema();
    const link = relay();
    const endpoints = new LarkTokenEndpoints({ baseUrl: server.url });
    const { logger, sink } = memoryLogger();
    const stores: PostgresTokenStore[] = [];
    const open = (url: string, backoff = 5_000) => {
      const s = new PostgresTokenStore(url, { box, logger, schema: schema.name, outageBackoffMs: backoff });
      stores.push(s);
      return s;
    };
    try {
      const first = new TokenManager({ store: open(link.url), endpoints, apps });
      const token = await first.getTenantToken(DEFAULT_APP_ID);
      // A second process reuses the stored token: no new request.
      const second = new TokenManager({ store: open(link.url), endpoints, apps });
      assert.equal(await second.getTenantToken(DEFAULT_APP_ID), token);
      assert.equal(sandbox.journal.count("tenant_token"), 1);

      await link.cut();
      const third = new TokenManager({ store: open(link.url, 0), endpoints, apps });
      assert.match(await third.getTenantToken(DEFAULT_APP_ID), /^t-/, "served although the store is gone");
      assert.ok(sink.records.some((r) => r.level === "error" && r.event === "token_store.unavailable"));

      // The database back (direct URL): the stored token is readable again.
      const fourth = new TokenManager({ store: open(schema.url), endpoints, apps });
      assert.equal(await fourth.getTenantToken(DEFAULT_APP_ID), token);
    } finally {
      for (const s of stores) await s.end();
      await schema.drop();
      await server.close();
    }
  },
});

Deno.test({
  name:
    "postgres store: a running manager across a cut link → still served, ERROR logged; written again once restored",
  ignore: pg.ignore,
  async fn() {
    const clock = new FakeClock(Date.UTC(2026, 0, 5, 9));
    const sandbox = createSandbox({ clock });
    const server = await sandbox.listen({ port: 0 });
    const schema = testSchema();
    const link = relay();
    const { logger, sink } = memoryLogger();
    const store = new PostgresTokenStore(link.url, {
      box,
      logger,
      clock,
      schema: schema.name,
      outageBackoffMs: 5_000,
    });
    const direct = new PostgresTokenStore(schema.url, { box });
    const manager = new TokenManager({
      store,
      endpoints: new LarkTokenEndpoints({ baseUrl: server.url }),
      apps,
      clock,
    });
    const key = `tenant:${DEFAULT_APP_ID}`;
    const errors = () =>
      sink.records.filter((r) => r.level === "error" && r.event === "token_store.unavailable");
    try {
      const t1 = await manager.getTenantToken(DEFAULT_APP_ID);
      await manager.idle();
      const before = (await direct.get(key))!;
      assert.equal(before.accessToken, t1, "stored through the link");
      assert.equal(errors().length, 0);

      // The database goes away under the running manager, and its token expires.
      await link.cut();
      await clock.tick(2 * 3600_000 + 60_000);
      const t2 = await manager.getTenantToken(DEFAULT_APP_ID);
      await manager.idle();
      assert.match(t2, /^t-/, "served although the store is gone");
      assert.notEqual(t2, t1, "a fresh token, not the expired one");
      assert.equal(sandbox.journal.count("tenant_token"), 2);
      assert.ok(errors().length > 0, "the outage logged at ERROR");
      assert.equal((await direct.get(key))?.accessToken, t1, "nothing reached the database meanwhile");

      // The link back: past the outage back-off and the next expiry, the store is written again.
      const acceptedBefore = link.accepted;
      link.restore();
      await clock.tick(2 * 3600_000 + 60_000);
      const t3 = await manager.getTenantToken(DEFAULT_APP_ID);
      await manager.idle();
      const after = (await direct.get(key))!;
      assert.equal(after.accessToken, t3, "the new token stored");
      assert.ok(after.issuedAt > before.issuedAt);
      assert.ok(link.accepted > acceptedBefore, "written through the restored link");
    } finally {
      await store.end();
      await direct.end();
      await link.cut();
      await schema.drop();
      await server.close();
    }
  },
});

Deno.test({
  name: "postgres store: a corrupt row is deleted when read, then rewritten by the next fetch",
  ignore: pg.ignore,
  async fn() {
    const sandbox = createSandbox();
    const server = await sandbox.listen({ port: 0 });
    const schema = testSchema();
    const admin = postgres(PG_TEST_URL, { max: 1, onnotice: () => {} });
    const { logger, sink } = memoryLogger();
    const store = new PostgresTokenStore(schema.url, { box, logger });
    try {
      const endpoints = new LarkTokenEndpoints({ baseUrl: server.url });
      await new TokenManager({ store, endpoints, apps }).getTenantToken(DEFAULT_APP_ID);
      const key = `tenant:${DEFAULT_APP_ID}`;
      await admin.unsafe(`UPDATE "${schema.name}".tokens SET data = 'v1:AAAA' WHERE key = $1`, [key]);
      assert.equal(await store.get(key), undefined);
      const left = await admin.unsafe(
        `SELECT count(*)::int AS n FROM "${schema.name}".tokens WHERE key = $1`,
        [key],
      );
      assert.equal(left[0].n, 0, "the corrupt row was cleared");
      assert.ok(sink.records.some((r) => r.level === "error" && r.event === "token_store.corrupt_row"));

      const fresh = new TokenManager({ store, endpoints, apps });
      const token = await fresh.getTenantToken(DEFAULT_APP_ID);
      assert.equal((await store.get(key))?.accessToken, token, "rewritten");
    } finally {
      await store.end();
      await admin.end({ timeout: 1 });
      await schema.drop();
      await server.close();
    }
  },
});

Deno.test({
  name:
    "postgres lock: a waiter on another connection times out with a Chinese LarkError, then gets the lock",
  ignore: pg.ignore,
  async fn() {
    const schema = testSchema();
    const clock = new FakeClock(1_700_000_000_000);
    const a = new PostgresTokenStore(schema.url, { box });
    const b = new PostgresTokenStore(schema.url, { box, clock, pollMs: 50 });
    try {
      const hold = gate();
      const entered = gate();
      const held = a.withLock("tenant:cli_x", 30_000, async () => {
        entered.open();
        await hold.promise;
      });
      await entered.promise;
      const waiting = b.withLock("tenant:cli_x", 300, () => Promise.resolve("never"));
      const check = assert.rejects(waiting, (e: unknown) => {
        assert.ok(e instanceof LarkError);
        assert.match(e.message, /^等待令牌锁「tenant:cli_x」超时（300 毫秒）/);
        return true;
      });
      while (clock.pending === 0) await new Promise((r) => setTimeout(r, 5)); // b is polling
      await clock.tick(301);
      await check;
      hold.open();
      await held;
      assert.equal(await b.withLock("tenant:cli_x", 300, () => Promise.resolve("got it")), "got it");
    } finally {
      await a.end();
      await b.end();
      await schema.drop();
    }
  },
});
