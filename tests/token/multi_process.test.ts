import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { TENANT_TOKEN_PATH } from "../../lib/token/mod.ts";
import { lines, tempDbPath } from "./_fakes.ts";

const WORKER = fileURLToPath(new URL("./_token_worker.ts", import.meta.url));

Deno.test("two processes on one SQLite file: one fetch, same token", async () => {
  const db = await tempDbPath();
  let requests = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    await req.body?.cancel();
    if (path !== TENANT_TOKEN_PATH) return new Response("no route", { status: 404 });
    const n = ++requests;
    // Hold the answer so the other process is certainly waiting on the lock meanwhile.
    await new Promise((r) => setTimeout(r, 300));
    return Response.json({ code: 0, msg: "ok", tenant_access_token: `t-multi-${n}`, expire: 7200 });
  });
  const baseUrl = `http://127.0.0.1:${server.addr.port}`;
  try {
    const children = [0, 1].map(() =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", "--allow-write", "--allow-net=127.0.0.1", WORKER, db.path, baseUrl],
        stdin: "piped",
        stdout: "piped",
        stderr: "inherit",
      }).spawn()
    );
    const readers = children.map((c) => lines(c.stdout));
    for (const next of readers) assert.equal(await next(), "ready");
    // Release both at the same moment.
    await Promise.all(children.map(async (c) => {
      const w = c.stdin.getWriter();
      await w.write(new TextEncoder().encode("go\n"));
      await w.close();
    }));
    const results = await Promise.all(readers.map(async (next) => JSON.parse(await next())));
    const statuses = await Promise.all(children.map((c) => c.status));
    assert.ok(statuses.every((s) => s.success));

    assert.equal(requests, 1, "the token server must see exactly one fetch");
    assert.equal(results[0].token, results[1].token);
    assert.equal(results[0].token, "t-multi-1");
    const fetches = results.map((r) => r.stats.fetches.tenant);
    assert.deepEqual(fetches.sort(), [0, 1]);
    const waiter = results.find((r) => r.stats.fetches.tenant === 0);
    assert.equal(waiter.stats.reusedFromStore, 1, "the other process re-read the store under the lock");
  } finally {
    await server.shutdown();
    await db.cleanup();
  }
});
