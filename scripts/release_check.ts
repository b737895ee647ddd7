/**
 * 检查 Linux 便携版：构建 → 解压到干净目录 → 在没有外部 DENO_DIR、没有 HOME 缓存、
 * 外网代理指向不可达地址的环境中，用沙箱跑一次 chatid，并运行每个工具的 --help。
 *
 * Usage: `deno task release:check [--keep]` (`--keep` leaves the temp folder for a look).
 * Exit code 0 when every check passes, 1 otherwise. Builds with the npm registry
 * reachable (it packs `@deno/linux-x64-glibc` once into dist/.cache); the run
 * itself is offline.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { parseCli } from "../lib/cli/parse_cli.ts";
import { readChatIdExcel } from "../pipelines/chatid/output.ts";

const HELP = `检查 Linux 便携版能否离线运行

用法：deno task release:check [--keep]

构建 linux-x64 便携版 zip，解压到临时目录，在干净环境（无 DENO_DIR、空 HOME、外网不可达）中：
启动包内的飞书沙箱，用 feishu-chatid 查询一批合同编号并核对结果，再运行每个启动器的 --help。
  --keep   保留临时目录（默认检查后删除）`;

const ROOT = resolve(new URL("..", import.meta.url).pathname);

interface Step {
  name: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

/** Run the check; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseCli(args, { keep: { type: "boolean" } }, HELP);
  if (!parsed.ok) return parsed.exitCode;
  const tmp = await Deno.makeTempDir({ prefix: "feishu-kit-release-check-" });
  const steps: Step[] = [];
  const step = async (name: string, fn: () => Promise<string | void>) => {
    const t0 = performance.now();
    try {
      const detail = await fn();
      steps.push({ name, ok: true, ms: performance.now() - t0, detail: detail ?? undefined });
    } catch (e) {
      steps.push({ name, ok: false, ms: performance.now() - t0, detail: (e as Error).message });
    }
    const s = steps[steps.length - 1];
    console.log(
      `${s.ok ? "✔" : "✘"} ${name}（${(s.ms / 1000).toFixed(1)} 秒）${s.detail ? `：${s.detail}` : ""}`,
    );
    return s.ok;
  };
  const dist = join(tmp, "dist");
  const clean = join(tmp, "clean");
  const home = join(tmp, "home");
  let pkg = "";
  let sandbox: Deno.ChildProcess | undefined;
  try {
    const built = await step("构建 linux-x64 便携版", async () => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          "--allow-run",
          "--allow-env",
          join(ROOT, "scripts/release.ts"),
          "--portable",
          "--platform",
          "linux-x64",
          "--out",
          dist,
          "--cache",
          join(ROOT, "dist", ".cache"),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (!out.success) throw new Error(new TextDecoder().decode(out.stderr).trim());
      const zip = [...Deno.readDirSync(dist)].find((e) => e.name.endsWith("-linux-x64.zip"));
      if (!zip) throw new Error("没有生成 zip");
      return `${zip.name}，${((await Deno.stat(join(dist, zip.name))).size / 1e6).toFixed(1)} MB`;
    });
    if (!built) return report(steps);
    await step("解压到干净目录", async () => {
      await Deno.mkdir(clean);
      await Deno.mkdir(home);
      const zip = [...Deno.readDirSync(dist)].find((e) => e.name.endsWith("-linux-x64.zip"))!.name;
      await runOk("unzip", ["-q", join(dist, zip), "-d", clean]);
      await Deno.remove(dist, { recursive: true }); // nothing of the build is left to lean on
      pkg = join(clean, zip.replace(/\.zip$/, ""));
    });
    // A clean environment: no DENO_DIR, an empty HOME (no user caches), outside hosts unreachable.
    const env = {
      PATH: "/usr/bin:/bin",
      HOME: home,
      LANG: "C.UTF-8",
      NO_COLOR: "1", // plain text, so Deno's own warnings can be recognised
      HTTP_PROXY: "http://127.0.0.1:9",
      HTTPS_PROXY: "http://127.0.0.1:9",
      NO_PROXY: "127.0.0.1,localhost",
    };
    const launch = (name: string, args: string[], stderr: "piped" | "null" = "piped") =>
      new Deno.Command(join(pkg, `${name}.sh`), {
        args,
        cwd: pkg,
        clearEnv: true,
        env,
        stdin: "null",
        stdout: "piped",
        stderr,
      });
    let url = "";
    let examples: { ok: string[]; notFound: string[] } = { ok: [], notFound: [] };
    await step("启动包内沙箱（feishu-sandbox.sh --port 0）", async () => {
      sandbox = launch("feishu-sandbox", ["--port", "0"], "null").spawn();
      const banner = await readUntil(sandbox.stdout, /不存在（返回 110107）：.*\n/, 60_000);
      url = /飞书沙箱已启动：(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? "";
      const list = (label: string) => (new RegExp(`${label}：\\s*(.*)`).exec(banner)?.[1] ?? "").split("、");
      examples = { ok: list("正常（有协作、有群聊）"), notFound: list("不存在（返回 110107）") };
      if (!url || !examples.ok[0]) throw new Error(`没读到沙箱地址或示例编号：\n${banner}`);
      return url;
    });
    await step("feishu-chatid.sh 查询沙箱（输入带 BOM 与 CRLF）", async () => {
      const config = (await Deno.readTextFile(join(pkg, "config/chatid.sandbox.yaml")))
        .replaceAll("http://127.0.0.1:18080", url)
        .replace(/^state:\n(?:[ #].*(?:\n|$))*/m, ""); // use the default state folder (per-user in a release)
      await Deno.writeTextFile(join(pkg, "config/chatid.check.yaml"), config);
      const numbers = [...examples.ok, ...examples.notFound];
      await Deno.writeTextFile(join(pkg, "合同 编号.txt"), "\uFEFF" + numbers.join("\r\n") + "\r\n");
      const out = await launch("feishu-chatid", [
        "合同 编号.txt",
        "--config",
        "config/chatid.check.yaml",
        "--quiet",
      ])
        .output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      if (!out.success) throw new Error(`退出码 ${out.code}：\n${text}`);
      const rows = await readChatIdExcel(join(pkg, "output/sandbox_contract_openChatId.xlsx"));
      const status = new Map(rows.map((r) => [r.contract_number, r.status]));
      for (const n of examples.ok) if (status.get(n) !== "SUCCESS") throw new Error(`${n}：${status.get(n)}`);
      for (const n of examples.notFound) {
        if (status.get(n) !== "NOT_FOUND_CONTRACT") throw new Error(`${n}：${status.get(n)}`);
      }
      const tokenDb = join(home, ".local/state/feishu-kit/tokens.sqlite");
      if (!(await exists(tokenDb))) throw new Error(`令牌缓存不在用户目录：${tokenDb}`);
      if (await exists(join(pkg, ".state"))) throw new Error("便携版在程序目录里写了 .state/");
      return `${rows.length} 行结果正确，令牌缓存在 ~/.local/state/feishu-kit/`;
    });
    for (const entry of Deno.readDirSync(pkg)) {
      if (!entry.name.endsWith(".sh")) continue;
      const name = entry.name.replace(/\.sh$/, "");
      await step(`${entry.name} --help`, async () => {
        const out = await launch(name, ["--help"]).output();
        const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
        if (!out.success || !text.includes("用法")) {
          throw new Error(`退出码 ${out.code}：\n${text.slice(0, 400)}`);
        }
        if (/Ignored build scripts|^Download |^error:/m.test(text)) {
          throw new Error(`有多余的 Deno 输出：\n${text.slice(0, 400)}`);
        }
      });
    }
    await step("没有访问过外部 Deno 缓存", async () => {
      if (await exists(join(home, ".cache/deno"))) throw new Error("HOME 下出现了 .cache/deno");
    });
  } finally {
    if (sandbox) {
      try {
        sandbox.kill("SIGTERM");
      } catch { /* already gone */ }
      await sandbox.status;
    }
    if (!parsed.values.keep) await Deno.remove(tmp, { recursive: true }).catch(() => {});
    else console.log(`临时目录保留在 ${tmp}`);
  }
  return report(steps);
}

function report(steps: Step[]): number {
  const failed = steps.filter((s) => !s.ok);
  const total = steps.reduce((a, s) => a + s.ms, 0) / 1000;
  console.log(
    failed.length
      ? `\n未通过：${failed.length} 项（共 ${total.toFixed(1)} 秒）`
      : `\n全部通过（共 ${total.toFixed(1)} 秒）`,
  );
  return failed.length ? 1 : 0;
}

async function runOk(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error(`${cmd} 失败：${new TextDecoder().decode(out.stderr)}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Read text from `stream` until `pattern` matches; the rest is drained in the background. */
async function readUntil(
  stream: ReadableStream<Uint8Array>,
  pattern: RegExp,
  timeoutMs: number,
): Promise<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const timer = setTimeout(() => reader.cancel(), timeoutMs);
  try {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`输出结束前没有出现预期内容：\n${text}`);
      text += value;
    }
    return text;
  } finally {
    clearTimeout(timer);
    (async () => {
      while (!(await reader.read().catch(() => ({ done: true }))).done) { /* drain */ }
    })();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
