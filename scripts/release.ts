/**
 * 发布：为每个工作流、每个平台构建单文件可执行程序（deno compile）；
 * 编译所需的运行时无法下载时，改为构建每个平台的便携版文件夹/zip。
 *
 * Usage: `deno task release [--platform windows-x64,linux-x64,macos-arm64] [--out dist]
 * [--portable] [--no-zip] [--version 1.2.3]`. Run with `--help` for details.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { parseCli } from "../lib/cli/parse_cli.ts";
import { writeChecksums } from "./_release/checksums.ts";
import { compileBinary, rootCause } from "./_release/compile.ts";
import { adaptFlags } from "./_release/permissions.ts";
import { buildPortable } from "./_release/portable.ts";
import { graphFiles, runtimeModules, sourceFiles } from "./_release/runtime_modules.ts";
import { type ReleaseTarget, selectTargets } from "./_release/targets.ts";
import {
  EXTRA_LAUNCHERS,
  parseJsonc,
  presentTools,
  type ReleaseTool,
  taskRunFlags,
} from "./_release/tools.ts";

const HELP = `构建发布包

用法：
  deno task release [选项]

默认为 Windows x64、Linux x64、macOS（Apple 芯片）各构建一份：每个工作流一个单文件可执行程序
（feishu-chatid、feishu-export、feishu-meeting，以及存在 scripts/attachments.ts 时的 feishu-attachments），
文件名带版本号，并写出 SHA256SUMS.txt。deno compile 需要从 dl.deno.land 下载对应平台的运行时；
下载失败时会说明原因，并改为构建便携版：每个平台一个文件夹和 zip，内含该平台的 Deno（来自 npm 包
@deno/win32-x64 等）、项目代码、已缓存的全部依赖（首次运行无需联网）以及 .cmd / .sh 启动器。

选项：
      --platform <列表>  只构建这些平台，逗号分隔：windows-x64、linux-x64、macos-arm64
      --out <目录>       输出目录（默认 dist）
      --portable         跳过 deno compile，直接构建便携版
      --no-zip           便携版只生成文件夹，不打 zip
      --version <版本>   版本号（默认取 deno.json 的 version）
      --cache <目录>     下载的 Deno npm 包缓存目录（默认 <输出目录>/.cache）
  -h, --help             显示本帮助

退出码：0 成功（包括改为构建便携版）；1 构建失败；2 用法错误。`;

const ROOT = resolve(new URL("..", import.meta.url).pathname);

/** Run the release; returns the exit code. */
export async function main(args: string[], signal?: AbortSignal): Promise<number> {
  const parsed = parseCli(args, {
    platform: { type: "string" },
    out: { type: "string" },
    portable: { type: "boolean" },
    "no-zip": { type: "boolean" },
    version: { type: "string" },
    cache: { type: "string" },
  }, HELP);
  if (!parsed.ok) return parsed.exitCode;
  const v = parsed.values;
  let targets: ReleaseTarget[];
  try {
    targets = selectTargets(v.platform);
  } catch (e) {
    console.error(`用法错误：${(e as Error).message}`);
    return 2;
  }
  const denoJson = parseJsonc(await Deno.readTextFile(join(ROOT, "deno.json")));
  const version = v.version ?? (denoJson.version as string | undefined);
  if (!version) {
    console.error("用法错误：deno.json 没有 version，请用 --version 指定版本号。");
    return 2;
  }
  const tasks = (denoJson.tasks ?? {}) as Record<string, unknown>;
  const tools = presentTools(ROOT, existsSync);
  const outDir = resolve(v.out ?? join(ROOT, "dist"));
  await Deno.mkdir(outDir, { recursive: true });
  console.log(
    `feishu-kit ${version}：${tools.map((t) => t.binary).join("、")}；平台 ${
      targets.map((t) => t.label).join("、")
    }`,
  );
  try {
    if (!v.portable) {
      const compiled = await compileAll(tools, targets, tasks, version, outDir, signal);
      if (compiled) {
        const sums = await writeChecksums(outDir, compiled);
        console.log(`\n完成：${compiled.length} 个可执行程序，校验和见 ${sums}`);
        return 0;
      }
    }
    const cacheDir = resolve(v.cache ?? join(outDir, ".cache"));
    return await portableAll(tools, targets, tasks, version, outDir, cacheDir, !v["no-zip"], signal);
  } catch (e) {
    console.error(`\n构建失败：${(e as Error).message}`);
    return 1;
  }
}

/** Compile every tool for every target; `undefined` when the runtime cannot be downloaded. */
async function compileAll(
  tools: ReleaseTool[],
  targets: ReleaseTarget[],
  tasks: Record<string, unknown>,
  version: string,
  outDir: string,
  signal?: AbortSignal,
): Promise<string[] | undefined> {
  const files: string[] = [];
  for (const target of targets) {
    for (const tool of tools) {
      const entry = tool.launchers[0];
      const include = await runtimeModules(ROOT, await graphFiles(ROOT, entry.script));
      console.log(`编译 ${tool.binary}（${target.label}）……`);
      const r = await compileBinary({
        root: ROOT,
        script: entry.script,
        output: join(outDir, `${tool.binary}-${version}-${target.label}`),
        flags: adaptFlags(taskRunFlags(tasks, entry.task, entry.script), { os: target.os, mode: "compile" }),
        include,
        target,
        signal,
      });
      if (r.ok) {
        files.push(r.file);
        continue;
      }
      if (!r.runtimeUnavailable) {
        throw new Error(`deno compile ${entry.script}（${target.label}）：\n${r.message}`);
      }
      console.error(
        `\n无法下载 deno compile 所需的 ${target.label} 运行时（denort，来自 dl.deno.land）：本机访问不到该地址。\n` +
          `  原始错误：${rootCause(r.message)}\n` +
          "  改为构建便携版（每个平台一个文件夹和 zip，自带 Deno 与全部依赖）。\n" +
          "  能联网时重新运行本命令即可得到单文件程序；只构建本机平台时也可先下载 denort 并设置 DENORT_BIN。\n",
      );
      for (const f of files) await Deno.remove(f).catch(() => {});
      return undefined;
    }
  }
  return files;
}

async function portableAll(
  tools: ReleaseTool[],
  targets: ReleaseTarget[],
  tasks: Record<string, unknown>,
  version: string,
  outDir: string,
  cacheDir: string,
  zip: boolean,
  signal?: AbortSignal,
): Promise<number> {
  const launchers = [
    ...tools.flatMap((t) => t.launchers),
    ...EXTRA_LAUNCHERS.filter((l) => existsSync(join(ROOT, l.script))),
  ];
  const extraModules = await runtimeModules(
    ROOT,
    await sourceFiles(ROOT, ["lib", "pipelines", "scripts", "sandbox"]),
  );
  const zips: string[] = [];
  const warnings: string[] = [];
  let seedDenoDir: string | undefined;
  for (const target of targets) {
    console.log(`便携版 ${target.label}：`);
    const r = await buildPortable({
      root: ROOT,
      outDir,
      version,
      denoVersion: Deno.version.deno,
      target,
      launchers,
      tasks,
      extraModules,
      cacheDir,
      seedDenoDir,
      zip,
      log: (l) => console.log(l),
      signal,
    });
    seedDenoDir ??= join(r.dir, "deno_dir");
    warnings.push(...r.warnings);
    if (r.zip) zips.push(r.zip);
    console.log(
      `  → ${r.zip ?? r.dir}${r.zip ? `（${((await Deno.stat(r.zip)).size / 1e6).toFixed(1)} MB）` : ""}`,
    );
  }
  for (const w of warnings) console.error(`警告：${w}`);
  if (zips.length) {
    console.log(`\n完成：${zips.length} 个便携版 zip，校验和见 ${await writeChecksums(outDir, zips)}`);
  } else console.log("\n完成：便携版文件夹已生成。");
  return 0;
}

function existsSync(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
