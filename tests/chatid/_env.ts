import { stringify as toYaml } from "yaml";
import { waitFor } from "../../lib/testing/wait_for.ts";
import {
  createSandbox,
  DEFAULT_APP_ID,
  DEFAULT_APP_SECRET,
  DEFAULT_SESSION,
  type Sandbox,
  type SandboxOptions,
  type SandboxServer,
} from "../../sandbox/mod.ts";

/** A sandbox on 127.0.0.1 plus a temp dir with a config pointing at it. */
export interface ChatIdEnv {
  sandbox: Sandbox;
  server: SandboxServer;
  dir: string;
  config: string;
  output: string;
  close(): Promise<void>;
}

/** Start a sandbox and write a chatid config for it. */
export async function chatIdEnv(
  options: SandboxOptions = {},
  overrides: Record<string, unknown> = {},
): Promise<ChatIdEnv> {
  const sandbox = createSandbox({ contractCount: 120, ...options });
  const server = await sandbox.listen();
  const dir = await Deno.makeTempDir({ prefix: "chatid-e2e-" });
  const output = `${dir}/out.xlsx`;
  const config = `${dir}/chatid.yaml`;
  const base = {
    app: { app_id: DEFAULT_APP_ID, app_secret: DEFAULT_APP_SECRET, base_url: server.url },
    clm: { base_url: server.url, cookie: `session=${DEFAULT_SESSION}` },
    rate_limit: {
      concurrency: 2,
      global_qpm: 6000,
      contract_search_qpm: 3000,
      contract_info_qpm: 3000,
      cooperation_info_qpm: 3000,
    },
    retry: { max_retries: 3, base_ms: 20, cap_ms: 100 },
    output: { path: output, extra_columns: true },
    log: { dir: `${dir}/logs`, level: "debug" },
    state: { token_db: `${dir}/tokens.sqlite` },
  };
  await Deno.writeTextFile(config, toYaml(deepMerge(base, overrides)));
  return {
    sandbox,
    server,
    dir,
    config,
    output,
    async close() {
      await server.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = v && typeof v === "object" && !Array.isArray(v) && typeof a[k] === "object"
      ? deepMerge(a[k] as Record<string, unknown>, v as Record<string, unknown>)
      : v;
  }
  return out;
}

/** Run scripts/chatid.ts in a subprocess; returns exit code and output text. */
export async function runChatIdProcess(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "scripts/chatid.ts", ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Journal lines of finished contracts. */
export async function journalRows(env: ChatIdEnv): Promise<string[]> {
  const text = await Deno.readTextFile(`${env.output}.journal.ndjson`).catch(() => "");
  return text.split("\n").filter((l) => l.includes('"type":"row"'));
}

/**
 * Start scripts/chatid.ts on `input` in a subprocess and resolve once at least
 * `rows` contracts are journaled (the process keeps running).
 */
export async function spawnUntilRows(
  env: ChatIdEnv,
  input: string,
  rows: number,
  stderr: "null" | "piped" = "null",
): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "scripts/chatid.ts", input, "--config", env.config, "--quiet"],
    stdout: "null",
    stderr,
  }).spawn();
  // At most 10 s; the caller's assertions say what was missing.
  await waitFor(async () => (await journalRows(env)).length >= rows, { timeoutMs: 10_000, intervalMs: 25 })
    .catch(() => {});
  return child;
}
