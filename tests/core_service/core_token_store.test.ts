/**
 * The core's token store is chosen by `FEISHU_CORE_TOKENS_STORE` (through
 * `openTokenStore`): with `postgres://…` the tenant token the core fetches is
 * kept (encrypted) in PostgreSQL, in this test's own schema, dropped after.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { loadSecretBox } from "../../lib/crypto/mod.ts";
import { postgresForTests, testSchema } from "../../lib/testing/postgres_test_schema.ts";
import { openTokenStore } from "../../lib/token/open_token_store.ts";
import { tokenKey } from "../../lib/token/token_key.ts";
import { loadCoreConfig } from "../../pipelines/core/config.ts";
import { APP_A, startTwoAppCore } from "./_core_app.ts";

const pg = await postgresForTests();

Deno.test({
  name: "core: FEISHU_CORE_TOKENS_STORE=postgres://… keeps the tenant token in PostgreSQL",
  ignore: pg.ignore,
  async fn() {
    const schema = testSchema();
    const t = await startTwoAppCore({ FEISHU_CORE_TOKENS_STORE: schema.url });
    try {
      const headers = await t.core.tokens.tenantAuth(APP_A.appId).headers();
      const sent = (headers.authorization ?? headers.Authorization ?? "").replace(/^Bearer /, "");
      assert.ok(sent, "a tenant token");
      // In the schema, sealed (the raw row does not contain the token)…
      const sql = postgres(schema.url.replace(/\?.*$/, ""), { max: 1, onnotice: () => {} });
      try {
        const rows = await sql.unsafe(`SELECT * FROM "${schema.name}".tokens`);
        assert.equal(rows.length, 1);
        assert.ok(!JSON.stringify(rows).includes(sent), "the token is encrypted at rest");
      } finally {
        await sql.end({ timeout: 1 });
      }
      // …and readable with the core's key, under the app's tenant key.
      const box = await loadSecretBox({ keyFile: `${t.dir}/secret.key`, create: false });
      const store = openTokenStore(schema.url, { box });
      try {
        const rec = await store.get(tokenKey({ kind: "tenant", appId: APP_A.appId }));
        assert.equal(rec?.accessToken, sent);
      } finally {
        store.close();
      }
      // No SQLite token file was made.
      assert.equal(await Deno.stat(`${t.dir}/tokens.db`).then(() => true, () => false), false);
    } finally {
      await t.close();
      await schema.drop();
    }
  },
});

Deno.test("core config: the token store defaults to <stateDir>/tokens.db; a bad one is a Chinese config error", () => {
  const base: Record<string, string> = { FEISHU_APP_ID: APP_A.appId, FEISHU_APP_SECRET: "x" };
  const env = { ...base, FEISHU_CORE_STATE_DIR: "/srv/core" };
  const config = loadCoreConfig((n) => env[n as keyof typeof env]);
  assert.equal(config.tokensStore, "sqlite:///srv/core/tokens.db");
  assert.equal(config.queueUrl, "sqlite:///srv/core/core.db", "the queue follows the state folder too");
  const bad = { ...base, FEISHU_CORE_TOKENS_STORE: "redis://x" };
  assert.throws(
    () => loadCoreConfig((n) => bad[n as keyof typeof bad]),
    (e: Error & { hint?: string }) => /FEISHU_CORE_TOKENS_STORE/.test(e.hint ?? ""),
  );
});

/** Files this process has open (Linux: the links in /proc/<pid>/fd, listed by `ls`). */
async function openFiles(): Promise<string[]> {
  const out = await new Deno.Command("ls", { args: ["-l", `/proc/${Deno.pid}/fd`] }).output();
  return new TextDecoder().decode(out.stdout).split("\n").map((l) => l.split(" -> ")[1]).filter(Boolean);
}

Deno.test({
  name: "core: close() closes the token store (no tokens.db left open)",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const t = await startTwoAppCore();
    let closed = false;
    try {
      await t.core.tokens.tenantAuth(APP_A.appId).headers();
      const db = `${await Deno.realPath(t.dir)}/tokens.db`;
      assert.ok((await openFiles()).includes(db), "the token store is open while the core runs");
      await t.core.close();
      closed = true;
      assert.ok(!(await openFiles()).some((f) => f.startsWith(db)), "tokens.db (and its -wal/-shm) closed");
    } finally {
      if (!closed) await t.close();
      else await t.closeRest();
    }
  },
});
