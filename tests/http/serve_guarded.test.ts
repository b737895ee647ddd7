/**
 * The TCP front of the meeting service (issue 7 §2): `Deno.serve` alone keeps
 * connections that trickle their headers open indefinitely. Behind
 * `serveGuarded`, 100 such connections are closed after the header timeout,
 * a real request is answered while they trickle — even when they fill every
 * connection slot — and an oversized head gets 431. Loopback only.
 */
import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { serveGuarded } from "../../lib/http/serve_guarded.ts";
import { slowHeaderFlood } from "../../lib/testing/slow_header_flood.ts";

function until<T>(check: () => T, what: string, ms = 10_000): Promise<NonNullable<T>> {
  return waitFor(check, { timeoutMs: ms, what });
}

const hello = async (req: Request) =>
  new Response(`${req.method} ${new URL(req.url).pathname} ${req.method === "POST" ? await req.text() : ""}`);

Deno.test("serveGuarded: requests pass through, one per connection", async () => {
  const server = serveGuarded({ hostname: "127.0.0.1", port: 0 }, hello);
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    const get = await fetch(`${url}/a`);
    assert.equal(await get.text(), "GET /a ");
    const post = await fetch(`${url}/b`, { method: "POST", body: "x".repeat(100_000) });
    assert.equal((await post.text()).length, "POST /b ".length + 100_000);
    assert.equal(post.headers.get("connection"), "close");
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveGuarded: 100 connections trickling headers are closed at the header timeout; real requests still answered", async () => {
  const server = serveGuarded({ hostname: "127.0.0.1", port: 0, headerTimeoutMs: 2000 }, hello);
  const flood = await slowHeaderFlood({ port: server.addr.port, connections: 100 });
  try {
    await until(() => server.stats.active >= 100, "100 slow connections open");
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/webhook/event`, {
      method: "POST",
      body: "{}",
    });
    assert.equal(res.status, 200, "answered during the flood");
    assert.equal(await res.text(), "POST /webhook/event {}");
    assert.ok(flood.open.size > 0, "the reply came before the flood was cut off");
    await until(() => flood.open.size === 0, "every slow connection closed by the server");
    assert.equal(server.stats.headerTimeouts, 100);
    assert.equal(server.stats.active, 0);
  } finally {
    await flood.end();
    await server.shutdown();
  }
});

Deno.test("serveGuarded: with every slot held by a slow client, a new connection displaces the oldest", async () => {
  const server = serveGuarded(
    { hostname: "127.0.0.1", port: 0, maxConnections: 20, headerTimeoutMs: 60_000 },
    hello,
  );
  const flood = await slowHeaderFlood({ port: server.addr.port, connections: 100 });
  try {
    await until(() => server.stats.accepted >= 100, "100 accepted");
    assert.ok(server.stats.active <= 20, `at most 20 open (${server.stats.active})`);
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/ok`);
    assert.equal(await res.text(), "GET /ok ");
    assert.ok(server.stats.evicted >= 80, `slow clients displaced (${server.stats.evicted})`);
    assert.equal(server.stats.refused, 0);
  } finally {
    await flood.end();
    await server.shutdown();
  }
});

Deno.test("serveGuarded: a head over the limit gets 431", async () => {
  const server = serveGuarded({ hostname: "127.0.0.1", port: 0, maxHeaderBytes: 1024 }, hello);
  try {
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/`, {
      headers: { "x-big": "y".repeat(4000) },
    });
    assert.equal(res.status, 431);
    await res.body?.cancel();
    assert.equal(server.stats.tooLarge, 1);
  } finally {
    await server.shutdown();
  }
});
