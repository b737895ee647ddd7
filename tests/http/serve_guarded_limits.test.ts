/**
 * `serveGuarded` at its limits: when every slot carries a request being
 * answered (none still sending headers to displace), a new connection gets
 * 503 at once; a client that connects and leaves frees its slot; a server
 * started with an aborted signal is already finished. Loopback only.
 */
import assert from "node:assert/strict";
import { serveGuarded } from "../../lib/http/serve_guarded.ts";
import { waitFor } from "../../lib/testing/wait_for.ts";

async function rawRequest(port: number, text: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(text));
    const out: string[] = [];
    const buf = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      out.push(new TextDecoder().decode(buf.subarray(0, n)));
    }
    return out.join("");
  } finally {
    try {
      conn.close();
    } catch { /* closed by the server */ }
  }
}

Deno.test("serveGuarded: every slot busy answering → a new connection is refused with 503; the busy one completes", async () => {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => release = r);
  let started = 0;
  const server = serveGuarded({ hostname: "127.0.0.1", port: 0, maxConnections: 1 }, async () => {
    started++;
    await held;
    return new Response("done");
  });
  try {
    const first = fetch(`http://127.0.0.1:${server.addr.port}/slow`);
    await waitFor(() => started === 1, { timeoutMs: 10_000, what: "the first request at the handler" });
    const refused = await rawRequest(server.addr.port, "GET /x HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    assert.match(refused, /^HTTP\/1\.1 503 /);
    assert.equal(server.stats.refused, 1);
    assert.equal(server.stats.evicted, 0, "a request being answered is never displaced");
    release();
    const res = await first;
    assert.equal(await res.text(), "done");
  } finally {
    release();
    await server.shutdown();
  }
});

Deno.test("serveGuarded: a client that connects and leaves without a request frees its slot", async () => {
  const server = serveGuarded(
    { hostname: "127.0.0.1", port: 0, maxConnections: 2 },
    () => new Response("ok"),
  );
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await waitFor(() => server.stats.active === 1, { timeoutMs: 10_000, what: "the connection accepted" });
    conn.close();
    await waitFor(() => server.stats.active === 0, { timeoutMs: 10_000, what: "the slot freed" });
    assert.equal(server.stats.headerTimeouts, 0);
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
    assert.equal(await res.text(), "ok");
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveGuarded: an already aborted signal stops it at once; shutdown twice is one shutdown", async () => {
  const server = serveGuarded(
    { hostname: "127.0.0.1", port: 0, signal: AbortSignal.abort() },
    () => new Response("never"),
  );
  await server.finished;
  await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port: server.addr.port }));
  await Promise.all([server.shutdown(), server.shutdown()]);
});
