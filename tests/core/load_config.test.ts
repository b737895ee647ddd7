import assert from "node:assert/strict";
import { z } from "zod";
import { formatIssues, loadConfig, setPath } from "../../lib/config/mod.ts";
import { ConfigError } from "../../lib/errors/mod.ts";

const schema = z.object({
  app: z.object({
    app_id: z.string().startsWith("cli_"),
    app_secret: z.string().optional(),
    base_url: z.string().default("https://open.feishu.cn"),
  }),
  rate: z.object({
    global_qpm: z.number().int().positive().default(1000),
    workers: z.number().int().min(1).max(32).default(4),
  }).default({ global_qpm: 1000, workers: 4 }),
  output: z.object({ dir: z.string().default("output"), format: z.enum(["xlsx", "csv"]).default("xlsx") })
    .default({ dir: "output", format: "xlsx" }),
  dry_run: z.boolean().default(false),
});

async function withYaml(text: string, fn: (file: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fk-config-" });
  const file = `${dir}/feishu.yaml`;
  try {
    await Deno.writeTextFile(file, text);
    await fn(file);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function configError(p: Promise<unknown>): Promise<ConfigError> {
  const e = await p.then(() => undefined, (e) => e);
  assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
  assert.equal(e.retryable, false);
  return e;
}

Deno.test("defaults are applied when no file is given", async () => {
  const { config, warnings, file } = await loadConfig(schema, { overrides: { "app.app_id": "cli_a1b2c3" } });
  assert.deepEqual(config, {
    app: { app_id: "cli_a1b2c3", base_url: "https://open.feishu.cn" },
    rate: { global_qpm: 1000, workers: 4 },
    output: { dir: "output", format: "xlsx" },
    dry_run: false,
  });
  assert.deepEqual(warnings, []);
  assert.equal(file, undefined);
});

Deno.test("YAML file is read; missing sections take defaults", async () => {
  await withYaml(
    [
      "# feishu-kit config",
      "app:",
      "  app_id: cli_from_file",
      "rate:",
      "  global_qpm: 600",
      "output:",
      "  format: csv",
      "",
    ].join("\n"),
    async (file) => {
      const { config, warnings, file: read } = await loadConfig(schema, { file, getEnv: () => undefined });
      assert.equal(read, file);
      assert.deepEqual(warnings, []);
      assert.equal(config.app.app_id, "cli_from_file");
      assert.equal(config.app.base_url, "https://open.feishu.cn");
      assert.deepEqual(config.rate, { global_qpm: 600, workers: 4 });
      assert.deepEqual(config.output, { dir: "output", format: "csv" });
    },
  );
});

Deno.test("an empty file means defaults only", async () => {
  await withYaml("", async (file) => {
    const { config } = await loadConfig(schema, { file, overrides: { "app.app_id": "cli_x" } });
    assert.equal(config.rate.workers, 4);
  });
});

Deno.test("env overrides a secret; empty env is ignored; CLI dotted override wins last", async () => {
  await withYaml("app:\n  app_id: cli_file\n  app_secret: from-file\nrate:\n  workers: 2\n", async (file) => {
    const env: Record<string, string> = { FEISHU_APP_SECRET: "s3cr3t-from-env", FK_WORKERS: "" };
    const read: string[] = [];
    const getEnv = (n: string) => {
      read.push(n);
      return env[n];
    };
    const { config } = await loadConfig(schema, {
      file,
      env: { "app.app_secret": "FEISHU_APP_SECRET", "output.dir": "FK_WORKERS", "app.base_url": "FK_UNSET" },
      getEnv,
    });
    assert.equal(config.app.app_secret, "s3cr3t-from-env");
    assert.equal(config.output.dir, "output", "an empty variable does not override");
    assert.equal(config.app.base_url, "https://open.feishu.cn");
    assert.deepEqual(read.sort(), ["FEISHU_APP_SECRET", "FK_UNSET", "FK_WORKERS"]);

    const cli = await loadConfig(schema, {
      file,
      env: { "app.app_secret": "FEISHU_APP_SECRET" },
      getEnv,
      overrides: {
        "rate.workers": 16,
        "app.app_secret": "from-cli",
        "dry_run": true,
        "output.dir": undefined,
      },
    });
    assert.equal(cli.config.rate.workers, 16, "CLI beats the file");
    assert.equal(cli.config.app.app_secret, "from-cli", "CLI beats env");
    assert.equal(cli.config.dry_run, true);
    assert.equal(cli.config.output.dir, "output", "undefined overrides are skipped");
    assert.equal(cli.config.app.app_id, "cli_file", "siblings of an overridden key are kept");
  });
});

Deno.test("env is read from Deno.env by default", async () => {
  const name = `FK_TEST_SECRET_${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
  Deno.env.set(name, "from-deno-env");
  try {
    const { config } = await loadConfig(schema, {
      overrides: { "app.app_id": "cli_x" },
      env: { "app.app_secret": name },
    });
    assert.equal(config.app.app_secret, "from-deno-env");
  } finally {
    Deno.env.delete(name);
  }
});

Deno.test("unknown keys -> Chinese warnings naming the key and the file; the config still loads", async () => {
  await withYaml(
    "app:\n  app_id: cli_x\n  app_secert: oops\nrate:\n  global_qmp: 5\nextra: 1\n",
    async (file) => {
      const { config, warnings } = await loadConfig(schema, { file });
      assert.equal(warnings.length, 3, warnings.join("\n"));
      for (
        const [key, w] of [["app.app_secert", warnings[0]], ["rate.global_qmp", warnings[1]], [
          "extra",
          warnings[2],
        ]]
      ) {
        assert.match(w, /^未知配置项 /);
        assert.ok(w.includes(key), `${w} names ${key}`);
        assert.ok(w.includes(file), `${w} names the file`);
        assert.match(w, /请检查拼写/);
      }
      assert.equal(config.rate.global_qpm, 1000, "the misspelt key did not set anything");
      assert.equal((config as Record<string, unknown>).extra, undefined, "unknown keys are stripped");
    },
  );
});

Deno.test("bad type -> ConfigError whose hint names the key and the file", async () => {
  await withYaml("app:\n  app_id: cli_x\nrate:\n  workers: many\n  global_qpm: -5\n", async (file) => {
    const e = await configError(loadConfig(schema, { file }));
    const lines = e.hint.split("\n");
    assert.equal(lines.length, 2, e.hint);
    const workers = lines.find((l) => l.includes("rate.workers"));
    assert.ok(workers, e.hint);
    assert.ok(workers.includes(`（文件 ${file}）`));
    assert.match(workers, /类型错误，应为 整数|类型错误，应为 数字/);
    assert.doesNotMatch(workers, /缺少必填项/, "a value of the wrong type is not 'missing'");
    const qpm = lines.find((l) => l.includes("rate.global_qpm"));
    assert.ok(qpm, e.hint);
    assert.match(qpm, /取值过小/);
    assert.ok(e.userMessage().includes("rate.workers"));
    // The bad value itself is not echoed (it may be a secret).
    assert.ok(!e.hint.includes("many"));
  });
});

Deno.test("missing required key and invalid enum are named", async () => {
  await withYaml("app:\n  app_secret: x\noutput:\n  format: pdf\n", async (file) => {
    const e = await configError(loadConfig(schema, { file }));
    assert.match(
      e.hint,
      new RegExp(`配置项 app\\.app_id（文件 ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}）：缺少必填项`),
    );
    assert.match(e.hint, /配置项 output\.format.*取值无效，可选值："xlsx"、"csv"/);
  });
  // Without a file the hint has no file part.
  const e = await configError(loadConfig(schema, {}));
  assert.match(e.hint, /^配置项 app：缺少必填项/);
  assert.ok(!e.hint.includes("文件"));
});

Deno.test("env value of the wrong type is reported against its key", async () => {
  const e = await configError(
    loadConfig(schema, {
      overrides: { "app.app_id": "cli_x" },
      env: { "rate.workers": "FK_WORKERS" },
      getEnv: () => "8",
    }),
  );
  assert.match(e.hint, /rate\.workers.*类型错误/);
});

Deno.test("missing file -> ConfigError with a hint naming the file", async () => {
  const file = `/nonexistent-${crypto.randomUUID()}/feishu.yaml`;
  const e = await configError(loadConfig(schema, { file }));
  assert.ok(e.hint.includes(file));
  assert.match(e.hint, /找不到配置文件/);
  assert.match(e.hint, /example\.yaml/);
  assert.ok(e.cause instanceof Deno.errors.NotFound);
});

Deno.test("invalid YAML and a non-mapping root -> ConfigError", async () => {
  await withYaml("app:\n  app_id: [unclosed\n", async (file) => {
    const e = await configError(loadConfig(schema, { file }));
    assert.ok(e.hint.includes(file));
    assert.match(e.hint, /不是合法的 YAML/);
  });
  await withYaml("a: 1\na: 2\n", async (file) => {
    const e = await configError(loadConfig(schema, { file }));
    assert.match(e.hint, /不是合法的 YAML/, "duplicate keys are refused");
  });
  await withYaml("- just\n- a list\n", async (file) => {
    const e = await configError(loadConfig(schema, { file }));
    assert.match(e.hint, /顶层应为「键: 值」/);
  });
});

Deno.test("setPath creates and replaces intermediate objects", () => {
  const o: Record<string, unknown> = { a: 1, b: { c: 2 } };
  setPath(o, "b.d.e", 3);
  setPath(o, "a.x", 4);
  setPath(o, "top", 5);
  assert.deepEqual(o, { a: { x: 4 }, b: { c: 2, d: { e: 3 } }, top: 5 });
});

Deno.test("formatIssues tells missing from wrong type even without reportInput", () => {
  const r = z.object({ n: z.number(), m: z.string() }).safeParse({ n: "x" });
  assert.equal(r.success, false);
  const lines = formatIssues(r.error!.issues, "f.yaml");
  assert.deepEqual(lines, [
    "配置项 n（文件 f.yaml）：类型错误，应为 数字",
    "配置项 m（文件 f.yaml）：缺少必填项（应为 字符串）",
  ]);
});

Deno.test("a wrong-type value in a union is explained in Chinese (zod's 'Invalid input' never leaks)", async () => {
  const s = z.object({
    concurrency: z.union([z.number().int().min(1), z.literal("auto")]).default(1),
    base_url: z.union([z.url(), z.literal("")]).default(""),
    headers: z.record(z.string(), z.string()).default({}),
    tags: z.array(z.string()).max(2).default([]),
    secret: z.string().min(1).optional(),
  });
  await withYaml(
    "concurrency: fast\nbase_url: 5\nheaders: 3\ntags: [a, b, c]\nsecret: ''\n",
    async (file) => {
      const e = await configError(loadConfig(s, { file }));
      const lines = e.hint.split("\n");
      assert.deepEqual(lines, [
        `配置项 concurrency（文件 ${file}）：类型或取值错误，应为 数字 或 "auto"`,
        `配置项 base_url（文件 ${file}）：类型或取值错误，应为 字符串 或 ""`,
        `配置项 headers（文件 ${file}）：类型错误，应为 对象（键: 值）`,
        `配置项 tags（文件 ${file}）：取值过大，应 ≤ 2 项`,
        `配置项 secret（文件 ${file}）：不能为空`,
      ]);
    },
  );
  // Every issue code has a Chinese sentence: no English zod message survives.
  const r = z.object({
    a: z.number().multipleOf(5),
    b: z.strictObject({}),
    c: z.string().refine(() => false),
    d: z.string().email(),
  }).safeParse({ a: 7, b: { x: 1 }, c: "x", d: "no" }, { reportInput: true });
  for (const line of formatIssues(r.error!.issues, undefined)) {
    assert.doesNotMatch(line, /[A-Za-z]{4,} [a-z]{3,}/, line);
  }
});
