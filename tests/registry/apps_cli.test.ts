/**
 * `deno task apps` end to end, as a user runs it: secrets through stdin, a registry and key
 * file in a temp folder, `check` against the sandbox.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadSecretBox } from "../../lib/crypto/key_source.ts";
import { SqliteTokenStore, tokenKey } from "../../lib/token/mod.ts";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { postgresForTests, testSchema } from "../../lib/testing/postgres_test_schema.ts";
import { PostgresTokenStore } from "../../lib/token/mod.ts";

const pg = await postgresForTests();

const SCRIPT = fileURLToPath(new URL("../../scripts/apps.ts", import.meta.url));

async function apps(
  dir: string,
  args: string[],
  stdin = "",
  env: Record<string, string> = {},
  db = `${dir}/apps.sqlite`,
) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-net",
      SCRIPT,
      ...args,
      "--db",
      db,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { FEISHU_KIT_KEY: "", FEISHU_KIT_NEW_KEY: "", FEISHU_KIT_APPS_DB: "", NO_COLOR: "1", ...env },
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(stdin));
  await w.close();
  const r = await child.output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

Deno.test("apps CLI: add (secret on stdin) → list → check against the sandbox → update/disable/show → remove", async () => {
  const dir = await Deno.makeTempDir({ prefix: "apps_cli_" });
  const sandbox = createSandbox();
  const server = await sandbox.listen({ port: 0 });
  try {
    let r = await apps(
      dir,
      ["add", DEFAULT_APP_ID, "--name", "沙箱应用", "--by", "alice"],
      DEFAULT_APP_SECRET + "\n",
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /已登记 cli_a1b2c3d4e5f60718（沙箱应用，启用）/);
    assert.match(r.err, /已生成本机加密密钥/);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(`${dir}/secret.key`)).mode! & 0o777, 0o600);
    }

    r = await apps(dir, ["list"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /cli_a1b2c3d4e5f60718 {2}启用 {2}沙箱应用/);
    assert.ok(!r.out.includes(DEFAULT_APP_SECRET));

    r = await apps(dir, ["check", DEFAULT_APP_ID, "--base-url", server.url]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /凭证有效/);
    assert.equal(sandbox.journal.count("tenant_token"), 1);

    r = await apps(dir, ["update", DEFAULT_APP_ID, "--secret", "--by", "bob"], "wrong-secret\n");
    assert.equal(r.code, 0, r.err);
    r = await apps(dir, ["check", DEFAULT_APP_ID, "--base-url", server.url]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^错误：/m, "a Chinese message");
    assert.ok(!/\n\s+at /.test(r.err), "no stack trace");

    r = await apps(dir, ["disable", DEFAULT_APP_ID, "--by", "carol"]);
    assert.equal(r.code, 0, r.err);
    r = await apps(dir, ["show", DEFAULT_APP_ID, "--json"]);
    const shown = JSON.parse(r.out);
    assert.equal(shown.status, "disabled");
    assert.deepEqual(shown.changes.map((c: { action: string; actor: string }) => [c.action, c.actor]), [
      ["disable", "carol"],
      ["update", "bob"],
      ["add", "alice"],
    ]);
    assert.ok(!r.out.includes("wrong-secret") && !r.out.includes(DEFAULT_APP_SECRET));

    r = await apps(dir, ["remove", DEFAULT_APP_ID, "--by", "dave"]);
    assert.equal(r.code, 0, r.err);
    r = await apps(dir, ["show", DEFAULT_APP_ID]);
    assert.equal(r.code, 1);
    assert.match(r.err, /未登记/);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("apps CLI: usage errors exit 2; empty secret, missing key and wrong key exit 1 with a clear message", async () => {
  const dir = await Deno.makeTempDir({ prefix: "apps_cli_" });
  try {
    assert.equal((await apps(dir, [])).code, 2);
    assert.equal((await apps(dir, ["frobnicate"])).code, 2);
    assert.equal((await apps(dir, ["list", "extra"])).code, 2);
    assert.equal((await apps(dir, ["update", DEFAULT_APP_ID])).code, 2);
    let r = await apps(dir, ["add", DEFAULT_APP_ID, "--by", "a"], "");
    assert.equal(r.code, 1);
    assert.match(r.err, /没有读到 App Secret/);

    r = await apps(dir, ["add", DEFAULT_APP_ID, "--by", "a"], "s3cret\n");
    assert.equal(r.code, 0, r.err);
    const other = btoa(String.fromCharCode(...new Uint8Array(32).fill(5)));
    r = await apps(dir, ["list"], "", { FEISHU_KIT_KEY: other });
    assert.equal(r.code, 1);
    assert.match(r.err, /密钥不对/);
    await Deno.remove(`${dir}/secret.key`);
    r = await apps(dir, ["list"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /缺少加密密钥/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("apps CLI rotate-key: registry and token store re-encrypted, the key file replaced", async () => {
  const dir = await Deno.makeTempDir({ prefix: "apps_cli_" });
  try {
    let r = await apps(dir, ["add", DEFAULT_APP_ID, "--by", "a"], DEFAULT_APP_SECRET + "\n");
    assert.equal(r.code, 0, r.err);
    const oldBox = await loadSecretBox({
      keyFile: `${dir}/secret.key`,
      create: false,
      getEnv: () => undefined,
    });
    const tokensPath = `${dir}/tokens.sqlite`;
    const store = new SqliteTokenStore(tokensPath, { box: oldBox });
    const key = tokenKey({ kind: "user", appId: DEFAULT_APP_ID, userId: "ou_1" });
    await store.put({
      key,
      kind: "user",
      appId: DEFAULT_APP_ID,
      userId: "ou_1",
      accessToken: "u-1",
      refreshToken: "ur-1",
      issuedAt: 1,
      expiresAt: 2,
      updatedAt: 1,
    });
    store.close();

    // An unreachable token store stops the rotation before anything changed.
    const keyBefore = await Deno.readTextFile(`${dir}/secret.key`);
    r = await apps(dir, [
      "rotate-key",
      "--by",
      "ops",
      "--tokens",
      "postgres://postgres@127.0.0.1:1/postgres",
    ]);
    assert.equal(r.code, 1);
    assert.match(r.err, /PostgreSQL/);
    assert.equal(await Deno.readTextFile(`${dir}/secret.key`), keyBefore, "key file untouched");
    assert.equal((await apps(dir, ["list"])).code, 0, "registry still opens with the old key");

    r = await apps(dir, ["rotate-key", "--by", "ops", "--tokens", `sqlite://${tokensPath}`]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /1 个应用/);
    assert.match(r.out, /1 条已重新加密/);
    const newBox = await loadSecretBox({
      keyFile: `${dir}/secret.key`,
      create: false,
      getEnv: () => undefined,
    });
    assert.notEqual(newBox.fingerprint, oldBox.fingerprint);
    await assert.rejects(Deno.stat(`${dir}/secret.key.new`), Deno.errors.NotFound);
    await assert.rejects(
      Deno.stat(`${dir}/secret.key.old`),
      Deno.errors.NotFound,
      "old key removed after success",
    );

    assert.throws(() => new SqliteTokenStore(tokensPath, { box: oldBox }), /another key/);
    const reopened = new SqliteTokenStore(tokensPath, { box: newBox });
    assert.equal((await reopened.get(key))?.refreshToken, "ur-1");
    reopened.close();
    r = await apps(dir, ["show", DEFAULT_APP_ID, "--json"]);
    assert.equal(r.code, 0, r.err);
    r = await apps(dir, ["list"], "", {
      FEISHU_KIT_KEY: btoa(String.fromCharCode(...new Uint8Array(32).fill(1))),
    });
    assert.match(r.err, /密钥不对/, "an unrelated key is refused");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "apps CLI on PostgreSQL: registry and token store in one schema, add → disable → rotate-key",
  ignore: pg.ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "apps_cli_pg_" });
    const schema = testSchema();
    const key = btoa(String.fromCharCode(...new Uint8Array(32).fill(3)));
    const next = btoa(String.fromCharCode(...new Uint8Array(32).fill(4)));
    try {
      let r = await apps(
        dir,
        ["add", DEFAULT_APP_ID, "--by", "a"],
        "s3cret\n",
        { FEISHU_KIT_KEY: key },
        schema.url,
      );
      assert.equal(r.code, 0, r.err);
      r = await apps(dir, ["disable", DEFAULT_APP_ID, "--by", "b"], "", { FEISHU_KIT_KEY: key }, schema.url);
      assert.equal(r.code, 0, r.err);
      r = await apps(dir, ["list"], "", { FEISHU_KIT_KEY: key }, schema.url);
      assert.match(r.out, /cli_a1b2c3d4e5f60718 {2}停用/);
      await assert.rejects(
        Deno.stat(`${dir}/apps.sqlite`),
        Deno.errors.NotFound,
        "the registry is in PostgreSQL",
      );

      const oldBox = await loadSecretBox({ keyFile: "-", getEnv: () => key });
      const store = new PostgresTokenStore(schema.url, { box: oldBox });
      await store.put({
        key: `tenant:${DEFAULT_APP_ID}`,
        kind: "tenant",
        appId: DEFAULT_APP_ID,
        accessToken: "t-1",
        issuedAt: 1,
        expiresAt: 2,
        updatedAt: 1,
      });
      await store.end();
      r = await apps(
        dir,
        ["rotate-key", "--by", "ops", "--tokens", schema.url],
        "",
        { FEISHU_KIT_KEY: key },
        schema.url,
      );
      assert.equal(r.code, 1, "a key from env needs FEISHU_KIT_NEW_KEY");
      assert.match(r.err, /FEISHU_KIT_NEW_KEY/);
      r = await apps(dir, ["rotate-key", "--by", "ops", "--tokens", schema.url], "", {
        FEISHU_KIT_KEY: key,
        FEISHU_KIT_NEW_KEY: next,
      }, schema.url);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /1 条已重新加密/);
      r = await apps(dir, ["show", DEFAULT_APP_ID], "", { FEISHU_KIT_KEY: key }, schema.url);
      assert.match(r.err, /密钥不对/);
      r = await apps(dir, ["show", DEFAULT_APP_ID], "", { FEISHU_KIT_KEY: next }, schema.url);
      assert.equal(r.code, 0, r.err);
      const newBox = await loadSecretBox({ keyFile: "-", getEnv: () => next });
      const reopened = new PostgresTokenStore(schema.url, { box: newBox });
      assert.equal((await reopened.get(`tenant:${DEFAULT_APP_ID}`))?.accessToken, "t-1");
      await reopened.end();
    } finally {
      await schema.drop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
