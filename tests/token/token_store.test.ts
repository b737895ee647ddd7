import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { LarkError } from "../../lib/errors/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { waitFor } from "../../lib/testing/wait_for.ts";
import {
  MemoryTokenStore,
  SqliteTokenStore,
  type TokenRecord,
  type TokenStore,
} from "../../lib/token/mod.ts";
import { gate, memoryLogger, T0, tempDbPath, tenantRecord, userRecord } from "./_fakes.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";

const box = await testSecretBox();

async function crud(store: TokenStore) {
  assert.equal(await store.get("tenant:cli_a"), undefined);
  await store.put(tenantRecord("cli_a", "t-1"));
  await store.put(tenantRecord("cli_b", "t-2"));
  await store.put(userRecord("cli_a", "ou_1"));
  assert.deepEqual(await store.get("tenant:cli_a"), tenantRecord("cli_a", "t-1"));
  await store.put(tenantRecord("cli_a", "t-3"));
  assert.equal((await store.get("tenant:cli_a"))?.accessToken, "t-3");
  assert.deepEqual((await store.list({ appId: "cli_a" })).map((r) => r.key).sort(), [
    "tenant:cli_a",
    "user:cli_a:ou_1",
  ]);
  assert.deepEqual((await store.list({ appId: "cli_a", kind: "user" })).map((r) => r.userId), ["ou_1"]);
  assert.equal((await store.list()).length, 3);
  await store.delete("tenant:cli_a");
  await store.delete("tenant:missing");
  assert.equal(await store.get("tenant:cli_a"), undefined);
}

Deno.test("memory store: get/put/delete/list", async () => {
  await crud(new MemoryTokenStore());
});

Deno.test("sqlite store: get/put/delete/list, WAL + synchronous=NORMAL + busy_timeout", async () => {
  const db = await tempDbPath();
  try {
    const store = new SqliteTokenStore(db.path, { box });
    await crud(store);
    store.close();
    const raw = new DatabaseSync(db.path);
    assert.equal((raw.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "wal");
    raw.close();
    const reopened = new SqliteTokenStore(db.path, { box });
    assert.equal((await reopened.get("user:cli_a:ou_1"))?.refreshToken, "ur-refresh");
    reopened.close();
  } finally {
    await db.cleanup();
  }
});

Deno.test("sqlite store: rows with bad JSON or missing fields are misses, logged at ERROR, then overwritten", async () => {
  const db = await tempDbPath();
  try {
    const { logger, sink } = memoryLogger();
    const store = new SqliteTokenStore(db.path, { box, logger });
    await store.put(tenantRecord("cli_a", "t-1"));
    await store.put(userRecord("cli_a", "ou_1"));
    const raw = new DatabaseSync(db.path);
    raw.prepare("UPDATE tokens SET data = ? WHERE key = ?").run("{oops", "tenant:cli_a");
    const noToken = { ...userRecord("cli_a", "ou_1") } as Partial<TokenRecord>;
    delete noToken.accessToken;
    raw.prepare("UPDATE tokens SET data = ? WHERE key = ?").run(JSON.stringify(noToken), "user:cli_a:ou_1");
    raw.close();

    assert.equal(await store.get("tenant:cli_a"), undefined);
    assert.equal(await store.get("user:cli_a:ou_1"), undefined);
    assert.deepEqual(await store.list({ appId: "cli_a" }), []);
    const errors = sink.records.filter((r) => r.level === "error");
    assert.ok(errors.length >= 2);
    assert.ok(errors.every((r) => r.event === "token_store.corrupt_row"));
    assert.deepEqual(new Set(errors.map((r) => r.key)), new Set(["tenant:cli_a", "user:cli_a:ou_1"]));
    assert.match(String(errors.find((r) => r.key === "user:cli_a:ou_1")?.reason), /accessToken/);

    await store.put(tenantRecord("cli_a", "t-2"));
    assert.equal((await store.get("tenant:cli_a"))?.accessToken, "t-2");
    store.close();
  } finally {
    await db.cleanup();
  }
});

Deno.test("sqlite lock: excludes another store on the same file, then hands over on release", async () => {
  const db = await tempDbPath();
  const clock = new FakeClock(T0);
  const a = new SqliteTokenStore(db.path, { box, clock, pollMs: 100 });
  const b = new SqliteTokenStore(db.path, { box, clock, pollMs: 100 });
  try {
    const order: string[] = [];
    const hold = gate();
    const first = a.withLock("k", 5_000, async () => {
      order.push("a-start");
      await hold.promise;
      order.push("a-end");
    });
    await waitFor(() => order.includes("a-start"), { what: "a holding the lock" });
    const second = b.withLock("k", 5_000, () => {
      order.push("b");
      return Promise.resolve(42);
    });
    // b found the lock taken and sleeps (on the fake clock) before polling again.
    await waitFor(() => clock.pending === 1, { what: "b waiting for the lock" });
    await clock.tick(1_000); // several polls of b, each finding the lock still held
    assert.equal(clock.pending, 1, "b is still waiting");
    assert.deepEqual(order, ["a-start"], "b must wait while a holds the lock");
    hold.open();
    await first;
    await clock.tick(1_000); // b's next poll takes the released lock
    assert.equal(await second, 42);
    assert.deepEqual(order, ["a-start", "a-end", "b"]);
    // Different keys do not block each other.
    assert.equal(await a.withLock("other", 100, () => Promise.resolve("x")), "x");
  } finally {
    a.close();
    b.close();
    await db.cleanup();
  }
});

Deno.test("sqlite lock: waiters time out with a Chinese LarkError; an expired lock is taken over", async () => {
  const db = await tempDbPath();
  const clock = new FakeClock(T0);
  const a = new SqliteTokenStore(db.path, { box, clock, pollMs: 100 });
  const { logger, sink } = memoryLogger();
  const b = new SqliteTokenStore(db.path, { box, clock, logger, pollMs: 100 });
  const hold = gate();
  try {
    const held = a.withLock("user:cli_a:ou_1", 1_000, () => hold.promise); // a "crashes" holding it
    const waiting = b.withLock("user:cli_a:ou_1", 400, () => Promise.resolve("never"));
    const check = assert.rejects(waiting, (e: unknown) => {
      assert.ok(e instanceof LarkError);
      assert.match(e.message, /^等待令牌锁「user:cli_a:ou_1」超时（400 毫秒）/);
      assert.match(e.userMessage(), /其他进程/);
      return true;
    });
    await clock.tick(500);
    await check;

    // a's lock row expires 1000 ms after it was taken: b may take it over then.
    const late = b.withLock("user:cli_a:ou_1", 2_000, () => Promise.resolve("taken over"));
    await clock.tick(400);
    assert.equal(clock.pending, 1, "still polling: the lock row has not expired yet");
    await clock.tick(1_100); // polls are at most 300 ms apart, so b gets it by T0 + 1300
    assert.equal(await late, "taken over");
    assert.ok(sink.records.some((r) => r.event === "token_store.lock_taken_over"));
    hold.open();
    await held;
  } finally {
    a.close();
    b.close();
    await db.cleanup();
  }
});

Deno.test("in-process lock: same store serializes callers and times out on the fake clock", async () => {
  const clock = new FakeClock(T0);
  for (const store of [new MemoryTokenStore({ clock }), new SqliteTokenStore(":memory:", { box, clock })]) {
    const hold = gate();
    const first = store.withLock("k", 1_000, () => hold.promise);
    const second = store.withLock("k", 300, () => Promise.resolve(1));
    const check = assert.rejects(second, /超时（300 毫秒）/);
    await clock.tick(301);
    await check;
    const third = store.withLock("k", 5_000, () => Promise.resolve(3));
    hold.open();
    await first;
    assert.equal(await third, 3);
    assert.equal(clock.pending, 0, "no timers left behind");
    store.close();
  }
});
