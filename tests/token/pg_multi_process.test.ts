/**
 * Four processes sharing the PostgreSQL token store (and a SQLite app registry) against
 * the sandbox, across a token expiry: exactly one token request per token lifetime.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { SqliteAppRegistry } from "../../lib/registry/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { postgresForTests, testSchema } from "../../lib/testing/postgres_test_schema.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { lines } from "./_fakes.ts";

const WORKER = fileURLToPath(new URL("./_pg_token_worker.ts", import.meta.url));
const pg = await postgresForTests();

Deno.test({
  name: "4 processes on PostgreSQL across a token expiry: 1 token request per lifetime, all share it",
  ignore: pg.ignore,
  async fn() {
    const clock = new FakeClock(Date.now());
    const sandbox = createSandbox({ clock });
    const server = await sandbox.listen({ port: 0 });
    const schema = testSchema();
    const dir = await Deno.makeTempDir({ prefix: "pg_multi_" });
    const registryPath = `${dir}/apps.sqlite`;
    const registry = new SqliteAppRegistry(registryPath, { box: await testSecretBox() });
    await registry.add({ appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET, name: "sandbox" }, "test");
    registry.close();
    const children = Array.from({ length: 4 }, () =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-net=127.0.0.1",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          WORKER,
          registryPath,
          schema.url,
          server.url,
          DEFAULT_APP_ID,
        ],
        stdin: "piped",
        stdout: "piped",
        stderr: "inherit",
      }).spawn());
    const writers = children.map((c) => c.stdin.getWriter());
    const send = (cmd: string) =>
      Promise.all(writers.map((w) => w.write(new TextEncoder().encode(cmd + "\n"))));
    const readers = children.map((c) => lines(c.stdout));
    const all = () => Promise.all(readers.map(async (next) => JSON.parse(await next())));
    try {
      for (const next of readers) assert.equal(await next(), "ready");

      await send("go"); // all four at the same moment, empty store
      const first = await all();
      assert.equal(sandbox.journal.count("tenant_token"), 1, "one request for four processes");
      assert.equal(new Set(first.map((r) => r.token)).size, 1);

      // The token expires (sandbox and every process jump 2 h ahead): again exactly one request.
      await clock.tick(7200_000);
      await send("advance 7200000");
      for (const next of readers) assert.equal(await next(), "ok");
      await send("go");
      const second = await all();
      assert.equal(sandbox.journal.count("tenant_token"), 2, "one refresh across the expiry");
      assert.equal(new Set(second.map((r) => r.token)).size, 1);
      assert.notEqual(second[0].token, first[0].token);
      const fetches = second.map((r) => r.stats.fetches.tenant).reduce((a, b) => a + b, 0);
      assert.equal(fetches, 2, "two fetches in total, by whichever process won each lock");
      assert.ok(second.reduce((a, r) => a + r.stats.reusedFromStore, 0) >= 1, "waiters re-read the store");
    } finally {
      await Promise.all(writers.map((w) => w.close().catch(() => {})));
      const statuses = await Promise.all(children.map((c) => c.status));
      await server.close();
      await schema.drop();
      await Deno.remove(dir, { recursive: true });
      assert.ok(statuses.every((s) => s.success), "workers exit cleanly");
    }
  },
});
