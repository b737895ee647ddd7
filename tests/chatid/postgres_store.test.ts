/**
 * chatid with its tokens in PostgreSQL (`state.token_store: postgres://…`):
 * one run against the sandbox under the `deno task chatid` permissions, the
 * resolve Worker granted the database's host:port; the tenant token is found
 * (encrypted) in the test's own schema, no SQLite token file is created, and
 * the key file stays in the local state folder. The grants and the config
 * check are asserted too; SQLite stays the default.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { readChatIdExcel } from "../../pipelines/chatid/output.ts";
import { ChatIdConfigSchema, chatIdKeyFile, chatIdTokenStore } from "../../pipelines/chatid/config.ts";
import { resolveWorkerGrants } from "../../pipelines/chatid/worker_resolver.ts";
import { PG_TEST_URL, postgresForTests, testSchema } from "../../lib/testing/postgres_test_schema.ts";
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { chatIdEnv } from "./_env.ts";

const pg = await postgresForTests();

/** `deno task chatid`'s flags, with writes allowed in `dir` instead of the repository. */
async function taskFlags(dir: string): Promise<string[]> {
  const task = /"chatid":\s*"([^"]+)"/.exec(await Deno.readTextFile("deno.json"))?.[1];
  assert.ok(task, "deno.json has the chatid task");
  const words = task.split(/\s+/);
  assert.deepEqual(words.slice(0, 2), ["deno", "run"]);
  assert.equal(words.at(-1), "scripts/chatid.ts");
  return words.slice(2, -1).map((w) => w === "--allow-write=." ? `--allow-write=${dir}` : w);
}

Deno.test({
  name: "chatid: a postgres:// token store — one run under the task's permissions, the token in PostgreSQL",
  ignore: pg.ignore,
  async fn() {
    const schema = testSchema();
    // A password in the URL (trust auth ignores it) must never be printed or logged.
    const withPassword = schema.url.replace("postgres@", "postgres:pg-secret-1234@");
    assert.notEqual(withPassword, schema.url);
    const env = await chatIdEnv({}, { state: { token_store: withPassword } });
    try {
      const ex = env.sandbox.examples(2);
      await Deno.writeTextFile(`${env.dir}/in.txt`, [ex.ok[0], ex.ok[1]].join("\n"));
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          ...await taskFlags(env.dir),
          "scripts/chatid.ts",
          `${env.dir}/in.txt`,
          "--config",
          env.config,
        ],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1", FEISHU_KIT_KEY: "" },
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `${stderr}\n${new TextDecoder().decode(out.stdout)}`);
      assert.match(stderr, /state\.token_store: postgres:\/\/postgres:\*\*\*\(14\)@127\.0\.0\.1/);
      assert.ok(!stderr.includes("pg-secret-1234"), "the password is masked in the config summary");
      for await (const log of Deno.readDir(`${env.dir}/logs`)) {
        const text = await Deno.readTextFile(`${env.dir}/logs/${log.name}`);
        assert.ok(!text.includes("pg-secret-1234"), "nor in the log");
      }
      const rows = await readChatIdExcel(env.output);
      assert.deepEqual(rows.map((r) => r.status), ["SUCCESS", "SUCCESS"]);
      assert.equal(
        env.sandbox.journal.count("tenant_token"),
        1,
        "one token for both threads: shared via PostgreSQL",
      );

      const sql = postgres(PG_TEST_URL, { max: 1, onnotice: () => {} });
      try {
        const found = await sql.unsafe(`SELECT key, kind, data FROM "${schema.name}".tokens`);
        assert.deepEqual(found.map((r) => r.key), [`tenant:${DEFAULT_APP_ID}`]);
        assert.ok(!String(found[0].data).includes("t-"), "the token is stored encrypted");
      } finally {
        await sql.end({ timeout: 1 });
      }
      const files = [...Deno.readDirSync(env.dir)].map((e) => e.name);
      assert.ok(!files.includes("tokens.sqlite"), "no SQLite token store");
      assert.ok(files.includes("secret.key"), "the key file is in the local state folder");
    } finally {
      await env.close();
      await schema.drop();
    }
  },
});

Deno.test("chatid: resolve Worker grants follow the token store (PostgreSQL host:port; SQLite folder by default)", () => {
  const base = {
    app: { app_id: "cli_x", app_secret: "s", base_url: "http://127.0.0.1:18080" },
    clm: { base_url: "https://contract.feishu.cn", cookie: "session=x" },
  };
  const onPg = ChatIdConfigSchema.parse({
    ...base,
    state: {
      token_db: ".state/tokens.sqlite",
      token_store: "postgres://kit:pw@db.internal/feishu?schema=kit",
    },
  });
  assert.deepEqual(resolveWorkerGrants(onPg), {
    net: ["127.0.0.1:18080", "contract.feishu.cn", "db.internal:5432"],
    read: [".state/secret.key"],
    env: ["PG*"],
  });
  assert.equal(chatIdKeyFile(onPg), ".state/secret.key", "beside the state folder, not derived from the URL");
  const portGiven = ChatIdConfigSchema.parse({
    ...base,
    state: { token_store: "postgresql://kit@10.0.0.5:6432/feishu" },
  });
  const net = resolveWorkerGrants(portGiven).net;
  assert.ok(Array.isArray(net) && net.includes("10.0.0.5:6432"), "the database host:port, never any host");

  const byDefault = ChatIdConfigSchema.parse({ ...base, state: { token_db: ".state/tokens.sqlite" } });
  assert.equal(chatIdTokenStore(byDefault), "sqlite://.state/tokens.sqlite");
  assert.deepEqual(resolveWorkerGrants(byDefault).write, [".state"]);
  const sqliteUrl = ChatIdConfigSchema.parse({ ...base, state: { token_store: "sqlite://other/t.db" } });
  assert.deepEqual(resolveWorkerGrants(sqliteUrl), {
    net: ["127.0.0.1:18080", "contract.feishu.cn"],
    read: ["other", "other/secret.key"],
    write: ["other"],
  });
});

Deno.test("chatid: a bad state.token_store is a Chinese config error naming the shape", () => {
  const base = {
    app: { app_id: DEFAULT_APP_ID, app_secret: DEFAULT_APP_SECRET },
    clm: { cookie: "session=x" },
  };
  for (
    const [value, message] of [
      ["mysql://root@db/x", /store 配置无效/],
      ["postgres://db.internal:5432/feishu", /须写明用户名/],
      ["postgres://kit@db/x?schema=Bad-Name", /模式名「Bad-Name」无效/],
    ] as const
  ) {
    const r = ChatIdConfigSchema.safeParse({ ...base, state: { token_store: value } });
    assert.equal(r.success, false, value);
    assert.match(r.error!.issues[0].message, message);
    assert.deepEqual(r.error!.issues[0].path, ["state", "token_store"]);
  }
});
