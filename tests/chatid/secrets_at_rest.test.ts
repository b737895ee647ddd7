/**
 * Issue 7 §3 through the chatid CLI: the first run creates the key file (0600) and says so
 * once; the token database, its folder, the journal and the log are owner-only; no token is
 * stored in clear; another key (FEISHU_KIT_KEY) only re-fetches the tenant token, with a
 * warning. Fails on the code before the fix (no key, 0644 files, plain JSON tokens).
 */
import assert from "node:assert/strict";
import { chatIdEnv } from "./_env.ts";

const POSIX = Deno.build.os !== "windows";
const NOTICE = /已生成本机加密密钥/;

async function run(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "scripts/chatid.ts", ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function mode(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

Deno.test("chatid: key file created once (0600, notice printed once); tokens encrypted; state files owner-only", async () => {
  const env = await chatIdEnv();
  try {
    const ex = env.sandbox.examples(2);
    await Deno.writeTextFile(`${env.dir}/in.txt`, ex.ok.join("\n"));
    const cfg = await Deno.readTextFile(env.config);
    await Deno.writeTextFile(
      env.config,
      cfg.replace(`${env.dir}/tokens.sqlite`, `${env.dir}/state/tokens.sqlite`),
    );
    const first = await run([`${env.dir}/in.txt`, "--config", env.config, "--quiet"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr.match(new RegExp(NOTICE, "g"))?.length, 1, "the notice is printed once");
    const keyFile = `${env.dir}/state/secret.key`;
    assert.match(first.stderr, new RegExp(keyFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    const second = await run([`${env.dir}/in.txt`, "--config", env.config, "--quiet"]);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, NOTICE, "not printed again");

    const tokens = env.sandbox.state.tokens.records.map((t) => t.value);
    assert.ok(tokens.length >= 1);
    let disk = "";
    for (const f of ["tokens.sqlite", "tokens.sqlite-wal"]) {
      disk += new TextDecoder("latin1").decode(
        await Deno.readFile(`${env.dir}/state/${f}`).catch(() => new Uint8Array()),
      );
    }
    for (const t of tokens) assert.ok(!disk.includes(t), "a tenant token is stored in clear");

    if (POSIX) {
      assert.equal(await mode(keyFile), 0o600);
      assert.equal(await mode(`${env.dir}/state`), 0o700);
      assert.equal(await mode(`${env.dir}/state/tokens.sqlite`), 0o600);
      assert.equal(await mode(`${env.output}.journal.ndjson`).catch(() => 0o600), 0o600);
      for await (const e of Deno.readDir(`${env.dir}/logs`)) {
        assert.equal(await mode(`${env.dir}/logs/${e.name}`), 0o600, e.name);
      }
    }

    // Another key: the tenant token is fetched again (it can be), with a warning; exit 0.
    assert.equal(env.sandbox.journal.count("tenant_token"), 1, "the second run reused the stored token");
    const other = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));
    const third = await run([`${env.dir}/in.txt`, "--config", env.config, "--quiet"], {
      FEISHU_KIT_KEY: other,
    });
    assert.equal(third.code, 0, third.stderr);
    assert.equal(env.sandbox.journal.count("tenant_token"), 2, "tenant token fetched again");
  } finally {
    await env.close();
  }
});
