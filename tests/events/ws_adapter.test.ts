import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors/mod.ts";
import { type EventSink, LongConnection, SqliteEventStore } from "../../lib/events/mod.ts";
import { APP_ID, meetingEndedEnvelope, VERIFICATION_TOKEN } from "./_fixtures.ts";
import { FakeLongConnection } from "./_fake_long_connection.ts";

const SECRET = "app-secret-for-tests";
// The SDK keeps timers of its own until close(); the tests close everything they start.
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "long connection: fragmented events are stored then acked 200; a replay is acked and ignored",
  ...opts,
  fn: async () => {
    const fake = new FakeLongConnection({ appId: APP_ID, appSecret: SECRET });
    const store = new SqliteEventStore(":memory:");
    const woken: string[] = [];
    const conn = new LongConnection({
      appId: APP_ID,
      appSecret: SECRET,
      store,
      baseUrl: fake.baseUrl,
      verificationToken: VERIFICATION_TOKEN,
      onStored: (e) => woken.push(e.eventId),
    });
    try {
      await conn.start();
      assert.equal(conn.state, "connected");
      const id = fake.sendEvent(meetingEndedEnvelope("ws-ev-1"), 3);
      await fake.waitAcks(1);
      assert.deepEqual(fake.acks[0].messageId, id);
      assert.equal(fake.acks[0].code, 200);
      assert.equal((await store.get("ws-ev-1"))?.source, "long_connection");
      fake.sendEvent(meetingEndedEnvelope("ws-ev-1"));
      await fake.waitAcks(2);
      assert.equal(fake.acks[1].code, 200);
      assert.equal((await store.get("ws-ev-1"))?.deliveries, 2);
      assert.deepEqual(woken, ["ws-ev-1"]);
      assert.deepEqual({ ...conn.stats, reconnects: 0 }, {
        received: 2,
        stored: 1,
        replays: 1,
        rejected: 0,
        reconnects: 0,
      });
      // A forged token is refused (acked, so Feishu does not resend it, but not stored).
      fake.sendEvent(meetingEndedEnvelope("ws-forged", "bad-token"));
      await fake.waitAcks(3);
      assert.equal(await store.get("ws-forged"), undefined);
      assert.equal(conn.stats.rejected, 1);
    } finally {
      conn.close();
      store.close();
      await fake.close();
    }
  },
});

Deno.test({
  name:
    "long connection: a dead socket (no pong, no close) is replaced, even when pings come faster than the timeout",
  ...opts,
  fn: async () => {
    const fake = new FakeLongConnection({ appId: APP_ID, appSecret: SECRET, pingIntervalS: 1 });
    const store = new SqliteEventStore(":memory:");
    // Pings every 1 s, timeout 2 s: the SDK's own watchdog re-arms on every ping and never
    // fires in this setting; the adapter's must.
    const conn = new LongConnection({
      appId: APP_ID,
      appSecret: SECRET,
      store,
      baseUrl: fake.baseUrl,
      pingTimeoutSec: 2,
    });
    try {
      await conn.start();
      await fake.waitConnections(1);
      fake.goSilent();
      await fake.waitConnections(2, 8000);
      assert.ok(fake.discoveries >= 2, "endpoint discovery runs again on reconnect");
      // Give the SDK a moment to wire the new socket's handlers.
      await new Promise((r) => setTimeout(r, 200));
      fake.sendEvent(meetingEndedEnvelope("after-reconnect"));
      await fake.waitAcks(1);
      assert.equal(fake.acks[0].code, 200);
      assert.ok(await store.get("after-reconnect"));
      assert.ok(conn.stats.reconnects >= 1);
    } finally {
      conn.close();
      store.close();
      await fake.close();
    }
  },
});

Deno.test({
  name: "long connection: a healthy connection (pongs answered) is never restarted by the watchdog",
  ...opts,
  fn: async () => {
    const fake = new FakeLongConnection({ appId: APP_ID, appSecret: SECRET, pingIntervalS: 1 });
    const store = new SqliteEventStore(":memory:");
    const conn = new LongConnection({
      appId: APP_ID,
      appSecret: SECRET,
      store,
      baseUrl: fake.baseUrl,
      pingTimeoutSec: 0.5,
    });
    try {
      await conn.start();
      await new Promise((r) => setTimeout(r, 3500));
      assert.ok(fake.pings.length >= 3, `pings: ${fake.pings.length}`);
      assert.equal(fake.connections, 1, "no restart while pongs arrive");
      assert.equal(conn.stats.reconnects, 0);
    } finally {
      conn.close();
      store.close();
      await fake.close();
    }
  },
});

Deno.test({
  name: "long connection: a store failure is acked with 500 so Feishu delivers again",
  ...opts,
  fn: async () => {
    const fake = new FakeLongConnection({ appId: APP_ID, appSecret: SECRET });
    const failing: EventSink = { insert: () => Promise.reject(new Error("disk full")) };
    const conn = new LongConnection({
      appId: APP_ID,
      appSecret: SECRET,
      store: failing,
      baseUrl: fake.baseUrl,
    });
    try {
      await conn.start();
      fake.sendEvent(meetingEndedEnvelope("ws-500"));
      await fake.waitAcks(1);
      assert.equal(fake.acks[0].code, 500);
    } finally {
      conn.close();
      await fake.close();
    }
  },
});

Deno.test({
  name: "long connection: wrong credentials reject start() with a ConfigError; bad app id fails fast",
  ...opts,
  fn: async () => {
    const fake = new FakeLongConnection({ appId: APP_ID, appSecret: SECRET });
    const store = new SqliteEventStore(":memory:");
    const conn = new LongConnection({ appId: APP_ID, appSecret: "wrong", store, baseUrl: fake.baseUrl });
    try {
      await assert.rejects(conn.start(), (e: unknown) => e instanceof ConfigError && /长连接/.test(e.hint));
      assert.equal(fake.connections, 0);
      assert.equal(conn.state, "idle");
      // Fixed credentials: the same adapter can start again.
      const good = new LongConnection({ appId: APP_ID, appSecret: SECRET, store, baseUrl: fake.baseUrl });
      await good.start();
      await good.start(); // second call: no second connection
      good.close();
      await good.start(); // and after close, a fresh one
      assert.equal(fake.connections, 2);
      good.close();
    } finally {
      conn.close();
      store.close();
      await fake.close();
    }
    assert.throws(
      () => new LongConnection({ appId: "cli_short", appSecret: "x", store }),
      (e: unknown) => e instanceof ConfigError && /APP_ID/.test(e.hint),
    );
  },
});
