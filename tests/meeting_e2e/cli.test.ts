/**
 * The two entry points run in-process against the sandbox: `deno task meeting`
 * (start-up checks that say what to fix, a run stopped by a signal) and
 * `deno task meeting:users` (directory export).
 */
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { main as meetingMain } from "../../scripts/meeting.ts";
import { main as usersMain } from "../../scripts/meeting_users.ts";
import { until } from "./_harness.ts";

/** Run `fn` with console output captured. */
async function captured<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  const lines: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  console.error = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    return { value: await fn(), out: lines.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

type Patch = Record<string, Record<string, unknown>>;

interface Setup {
  dir: string;
  port: number;
  /** Write the config (with `patch` merged in) and return its path. */
  write: (patch?: Patch) => Promise<string>;
}

async function withSetup(fn: (o: Setup) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "meeting-cli-" });
  const sandbox = createSandbox({ meeting: { recordingReadyAfterMs: 0 } });
  const server = await sandbox.listen({ port: 0 });
  const port = freePort();
  await Deno.mkdir(`${dir}/nas`);
  const write = async (patch: Patch = {}) => {
    const raw: Patch = {
      app: {
        app_id: DEFAULT_APP_ID,
        app_secret: DEFAULT_APP_SECRET,
        verification_token: "sandbox-verification-token",
        base_url: server.url,
        accounts_url: server.url,
      },
      server: { host: "127.0.0.1", port, public_base_url: `http://127.0.0.1:${port}` },
      nas: { root: `${dir}/nas`, reserve_mb: 0 },
      state: { db: `${dir}/state/meeting.sqlite`, token_db: `${dir}/state/tokens.sqlite` },
      log: { dir: `${dir}/logs` },
    };
    for (const [k, v] of Object.entries(patch)) raw[k] = { ...raw[k], ...v };
    const file = `${dir}/meeting.yaml`;
    await Deno.writeTextFile(file, stringify(raw));
    return file;
  };
  try {
    await fn({ dir, write, port });
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("cli meeting: start-up checks say what to fix (NAS root, App Secret); usage errors exit 2", async () => {
  await withSetup(async ({ dir, write }) => {
    const missing = await write({ nas: { root: `${dir}/missing` } });
    const noNas = await captured(() => meetingMain(["--config", missing]));
    assert.equal(noNas.value, 1);
    assert.match(noNas.out, /NAS 根目录 .*missing 不存在或无法访问/);
    assert.match(noNas.out, /app_secret: \*\*\*\(\d+\)/, "the config summary masks the secret, no prefix");
    assert.ok(!noNas.out.includes("app_secret: sand"), "no prefix of the secret");
    assert.ok(!noNas.out.includes(DEFAULT_APP_SECRET));

    const wrong = await write({ app: { app_secret: "wrong-secret" } });
    const badSecret = await captured(() => meetingMain(["-c", wrong]));
    assert.equal(badSecret.value, 1);
    assert.match(badSecret.out, /错误：.*App Secret/);
    assert.ok(!badSecret.out.includes("wrong-secret"));
    assert.ok(!/\n\s+at /.test(badSecret.out), "no stack trace for an expected failure");

    // Webhook mode without a Verification Token would accept anyone's forged "meeting ended" event.
    const noToken = await write({ app: { verification_token: "" } });
    const open = await captured(() => meetingMain(["-c", noToken]));
    assert.equal(open.value, 1);
    assert.match(open.out, /错误：webhook 模式必须配置 Verification Token/);
    assert.match(open.out, /事件与回调 → 加密策略/, "says where to find it");

    const usage = await captured(() => meetingMain(["--nope"]));
    assert.equal(usage.value, 2);
    assert.match(usage.out, /用法错误/);
  });
});

Deno.test("cli meeting: runs, answers /healthz, stops gracefully on a signal (exit 0)", async () => {
  await withSetup(async ({ write, port }) => {
    const file = await write();
    const stop = new AbortController();
    const run = captured(() => meetingMain(["--config", file], stop.signal));
    const health = await until(async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        return res.ok ? await res.json() : await res.body?.cancel();
      } catch {
        return undefined;
      }
    }, "healthz");
    assert.equal(health.ok, true);
    stop.abort();
    const { value, out } = await run;
    assert.equal(value, 0);
    assert.match(out, /检查通过：应用凭证有效/);
    assert.match(out, /会议录制归档服务已启动/);
    assert.match(out, /已停止/);
  });
});

Deno.test("cli meeting:users: exports the directory as CSV with user ids, names and departments", async () => {
  await withSetup(async ({ dir, write }) => {
    const file = await write();
    const out = `${dir}/users.csv`;
    const r = await captured(() => usersMain(["-c", file, "--format", "csv", "-o", out]));
    assert.equal(r.value, 0, r.out);
    const text = await Deno.readTextFile(out);
    const lines = text.replace(/^\ufeff/, "").trim().split("\r\n");
    assert.equal(lines[0], "user_id,姓名,邮箱,部门,文件夹");
    assert.ok(
      lines.some((l) => /,张三,.*后端组.*市场部|,张三,.*市场部.*后端组/.test(l)),
      "张三 with both departments",
    );
    assert.match(r.out, new RegExp(`已导出 ${lines.length - 1} 位用户`));
    const bad = await captured(() => usersMain(["-c", file, "--format", "pdf"]));
    assert.equal(bad.value, 2);
  });
});
