/** The long-connection adapter against the sandbox's long connection (`/callback/ws/endpoint` + pbbp2). */
import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { ConfigError } from "../../lib/errors/mod.ts";
import { type EventSink, LongConnection, SqliteEventStore } from "../../lib/events/mod.ts";
import { createSandbox, DEFAULT_APP_SECRET, type Sandbox, type SandboxServer } from "../../sandbox/mod.ts";
import { type MeetingFamily, meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { APP_ID, meetingEndedEnvelope } from "./_fixtures.ts";

const SECRET = DEFAULT_APP_SECRET;
const TOKEN = "sandbox-verification-token";
// Leak sanitizers on: every test closes the connection, the store and the sandbox it starts.
const opts = {};

interface Env {
  sandbox: Sandbox;
  server: SandboxServer;
  family: MeetingFamily;
  /** Send `envelope` over the newest open connection in `chunks` frames; the ack's code. */
  send(envelope: Record<string, unknown>, chunks?: number): Promise<number | undefined>;
  /** Wait (real time, at most `ms`) until `n` connections were opened. */
  connections(n: number, ms?: number): Promise<void>;
}

async function withLongConnection(pingIntervalSec: number, fn: (env: Env) => Promise<void>): Promise<void> {
  const sandbox = createSandbox({ meeting: { pingIntervalSec, verificationToken: TOKEN } });
  const server = await sandbox.listen();
  const family = meetingFamily(sandbox);
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(true), ms);
      signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve(false);
      });
    });
  const env: Env = {
    sandbox,
    server,
    family,
    send: (envelope, chunks = 1) => {
      const open = family.connections.filter((c) => c.state === "open");
      const id = open.at(-1)?.id ?? "none";
      const bytes = new TextEncoder().encode(JSON.stringify(envelope));
      return family.hub.sendEvent(id, bytes, { chunks, traceId: "t-1", timeoutMs: 5000, sleep });
    },
    connections: async (n, ms = 5000) => {
      await waitFor(() => family.connections.length >= n, { timeoutMs: ms, what: `${n} connections` });
    },
  };
  try {
    await fn(env);
  } finally {
    await server.close();
  }
}

Deno.test({
  name: "long connection: fragmented events are stored then acked 200; a replay is acked and ignored",
  ...opts,
  fn: async () => {
    await withLongConnection(120, async ({ server, send }) => {
      const store = new SqliteEventStore(":memory:");
      const woken: string[] = [];
      const conn = new LongConnection({
        appId: APP_ID,
        appSecret: SECRET,
        store,
        baseUrl: server.url,
        verificationToken: TOKEN,
        onStored: (e) => woken.push(e.eventId),
      });
      try {
        await conn.start();
        assert.equal(conn.state, "connected");
        assert.equal(await send(meetingEndedEnvelope("ws-ev-1", TOKEN), 3), 200);
        assert.equal((await store.get("ws-ev-1"))?.source, "long_connection");
        assert.equal(await send(meetingEndedEnvelope("ws-ev-1", TOKEN)), 200);
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
        assert.notEqual(await send(meetingEndedEnvelope("ws-forged", "bad-token")), undefined);
        assert.equal(await store.get("ws-forged"), undefined);
        assert.equal(conn.stats.rejected, 1);
      } finally {
        conn.close();
        store.close();
      }
    });
  },
});

Deno.test({
  name:
    "long connection: a dead socket (no pong, no close) is replaced, even when pings come faster than the timeout",
  ...opts,
  fn: async () => {
    await withLongConnection(1, async ({ sandbox, server, family, send, connections }) => {
      const store = new SqliteEventStore(":memory:");
      // Pings every 1 s, timeout 2 s: the SDK's own watchdog re-arms on every ping and never
      // fires in this setting; the adapter's must.
      const conn = new LongConnection({
        appId: APP_ID,
        appSecret: SECRET,
        store,
        baseUrl: server.url,
        verificationToken: TOKEN,
        pingTimeoutSec: 2,
      });
      try {
        await conn.start();
        await connections(1);
        family.killConnections("freeze");
        await connections(2, 8000);
        assert.ok(sandbox.journal.count("ws_endpoint") >= 2, "endpoint discovery runs again on reconnect");
        // The SDK wires the new socket's handlers a moment after it opens: send until acked.
        const envelope = meetingEndedEnvelope("after-reconnect", TOKEN);
        await waitFor(async () => (await send(envelope)) === 200, { timeoutMs: 20_000, what: "an ack" });
        assert.ok(await store.get("after-reconnect"));
        assert.ok(conn.stats.reconnects >= 1);
      } finally {
        conn.close();
        store.close();
      }
    });
  },
});

Deno.test({
  name: "long connection: a healthy connection (pongs answered) is never restarted by the watchdog",
  ...opts,
  fn: async () => {
    await withLongConnection(1, async ({ server, family }) => {
      const store = new SqliteEventStore(":memory:");
      const conn = new LongConnection({
        appId: APP_ID,
        appSecret: SECRET,
        store,
        baseUrl: server.url,
        pingTimeoutSec: 0.5,
      });
      try {
        await conn.start();
        await waitFor(() => family.connections[0]?.pings >= 3, { timeoutMs: 15_000, what: "3 pings" });
        assert.equal(family.connections.length, 1, "no restart while pongs arrive");
        assert.equal(conn.stats.reconnects, 0);
      } finally {
        conn.close();
        store.close();
      }
    });
  },
});

Deno.test({
  name: "long connection: a store failure is acked with 500 so Feishu delivers again",
  ...opts,
  fn: async () => {
    await withLongConnection(120, async ({ server, send }) => {
      const failing: EventSink = { insert: () => Promise.reject(new Error("disk full")) };
      const conn = new LongConnection({
        appId: APP_ID,
        appSecret: SECRET,
        store: failing,
        baseUrl: server.url,
      });
      try {
        await conn.start();
        assert.equal(await send(meetingEndedEnvelope("ws-500", TOKEN)), 500);
      } finally {
        conn.close();
      }
    });
  },
});

Deno.test({
  name: "long connection: wrong credentials reject start() with a ConfigError; bad app id fails fast",
  ...opts,
  fn: async () => {
    const store = new SqliteEventStore(":memory:");
    await withLongConnection(120, async ({ server, family }) => {
      const conn = new LongConnection({ appId: APP_ID, appSecret: "wrong", store, baseUrl: server.url });
      try {
        await assert.rejects(conn.start(), (e: unknown) => e instanceof ConfigError && /长连接/.test(e.hint));
        assert.equal(family.connections.length, 0);
        assert.equal(conn.state, "idle");
        // Fixed credentials: the same adapter can start again.
        const good = new LongConnection({ appId: APP_ID, appSecret: SECRET, store, baseUrl: server.url });
        await good.start();
        await good.start(); // second call: no second connection
        good.close();
        await good.start(); // and after close, a fresh one
        assert.equal(family.connections.length, 2);
        good.close();
      } finally {
        conn.close();
      }
    });
    assert.throws(
      () => new LongConnection({ appId: "cli_short", appSecret: "x", store }),
      (e: unknown) => e instanceof ConfigError && /APP_ID/.test(e.hint),
    );
    store.close();
  },
});
