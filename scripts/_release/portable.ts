/**
 * Build a portable folder (and zip) for one platform (internal): that
 * platform's Deno from the npm registry, the project's code, its npm
 * dependencies cached in a `deno_dir` inside the folder (so the first run
 * needs no network), and `.cmd`/`.sh` launchers with each task's permissions.
 *
 * @module
 */
import { join } from "node:path";
import { renderCmd, renderSh } from "./launchers.ts";
import { listTree, ntfsProblems } from "./ntfs_names.ts";
import { README_NAME, renderPackageReadme } from "./package_readme.ts";
import { adaptFlags } from "./permissions.ts";
import type { ReleaseTarget } from "./targets.ts";
import { type ReleaseLauncher, taskRunFlags } from "./tools.ts";

/** Project files and folders copied into `app/`. */
export const APP_FILES = [
  "deno.json",
  "deno.lock",
  "mod.ts",
  "README.md",
  "lib",
  "pipelines",
  "scripts",
  "sandbox",
];
/** Left out of `app/`: the release tooling itself. */
const APP_SKIP = new Set(["scripts/release.ts", "scripts/release_check.ts", "scripts/_release"]);
/**
 * Longest path (folder name included) that still unzips with Windows Explorer: 260 characters
 * minus about 80 for `C:\Users\<name>\Downloads\<zip name>\` (Explorer adds the zip's name).
 */
export const MAX_WINDOWS_PATH = 180;

/** Options of {@linkcode buildPortable}. */
export interface PortableOptions {
  /** The project root. */
  root: string;
  /** Where the folder and zip go. */
  outDir: string;
  /** Release version (in the names). */
  version: string;
  /** Deno version to ship (the one running the build, so the lockfile format matches). */
  denoVersion: string;
  /** Platform. */
  target: ReleaseTarget;
  /** Launchers to write (their entry points exist). */
  launchers: readonly ReleaseLauncher[];
  /** `deno.json` tasks, for the permissions. */
  tasks: Record<string, unknown>;
  /** Modules to cache besides the launchers' entry points (workers, dynamic npm imports). */
  extraModules: readonly string[];
  /** Download cache for the npm Deno packages (kept between builds). */
  cacheDir: string;
  /** A `deno_dir` already filled for this project (copied instead of downloading again). */
  seedDenoDir?: string;
  /** Also write `<folder>.zip` (needs the `zip` command). */
  zip: boolean;
  /** Progress lines. */
  log: (line: string) => void;
  /** Cancels child processes. */
  signal?: AbortSignal;
}

/** What {@linkcode buildPortable} made. */
export interface PortableResult {
  /** The folder. */
  dir: string;
  /** The zip, when made. */
  zip?: string;
  /** Warnings (long paths, no zip command). */
  warnings: string[];
}

/** Build the folder `<outDir>/feishu-kit-<version>-<label>` (replacing an older one) and zip it. */
export async function buildPortable(o: PortableOptions): Promise<PortableResult> {
  const name = `feishu-kit-${o.version}-${o.target.label}`;
  const dir = join(o.outDir, name);
  const warnings: string[] = [];
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(join(dir, "deno"), { recursive: true });
  await Deno.mkdir(join(dir, "app"), { recursive: true });
  o.log(`  ${o.target.label}：取 ${o.target.npmPackage}@${o.denoVersion}`);
  const exe = await fetchDeno(o);
  await Deno.copyFile(exe, join(dir, "deno", o.target.denoExe));
  await Deno.chmod(join(dir, "deno", o.target.denoExe), 0o755);
  o.log(`  ${o.target.label}：复制项目代码与配置示例`);
  for (const f of APP_FILES) await copyTree(join(o.root, f), join(dir, "app", f), f);
  await copyConfigExamples(join(o.root, "config"), join(dir, "config"));
  if (o.seedDenoDir) {
    o.log(`  ${o.target.label}：复制依赖缓存`);
    await copyTree(o.seedDenoDir, join(dir, "deno_dir"), "");
  } else {
    o.log(`  ${o.target.label}：下载依赖到 deno_dir（deno cache）`);
    await fillDenoDir(dir, o);
  }
  writeLaunchers(dir, o);
  await Deno.writeTextFile(join(dir, README_NAME), renderPackageReadme(o.target, o.launchers, o.version));
  const tree = await listTree(dir);
  if (o.target.os === "windows") {
    const problems = ntfsProblems(tree);
    if (problems.length) {
      throw new Error(
        `以下文件名在 Windows 上无法使用：\n${
          problems.slice(0, 20).map((p) => `  ${p.path}：${p.reason}`).join("\n")
        }`,
      );
    }
    const longest = tree.reduce((a, b) => (b.length > a.length ? b : a), "");
    if (name.length + 1 + longest.length > MAX_WINDOWS_PATH) {
      warnings.push(
        `${o.target.label}：最长路径 ${name.length + 1 + longest.length} 个字符（${longest}），` +
          "解压到很深的目录时可能超过 Windows 260 字符限制。",
      );
    }
  }
  let zip: string | undefined;
  if (o.zip) {
    zip = await zipFolder(o.outDir, name, o.signal);
    if (!zip) warnings.push("未找到 zip 命令，只生成了文件夹；可用系统自带的压缩工具打包。");
  }
  return { dir, zip, warnings };
}

async function run(cmd: string, args: string[], opts: Deno.CommandOptions = {}): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped", ...opts })
      .output();
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    const what = cmd === "npm" ? "npm（随 Node.js 安装，用来取各平台的 Deno）" : cmd;
    throw new Deno.errors.NotFound(`找不到命令 ${what}，请先安装。`);
  }
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`${cmd} ${args.join(" ")} 失败（退出码 ${out.code}）：\n${err || text}`);
  }
  return text;
}

/** `npm pack` the platform's Deno package (once; kept in the cache) and return its executable. */
async function fetchDeno(o: PortableOptions): Promise<string> {
  const into = join(o.cacheDir, `${o.target.label}-${o.denoVersion}`);
  const exe = join(into, "package", o.target.denoExe);
  if (await isFile(exe)) return exe;
  await Deno.mkdir(into, { recursive: true });
  const spec = `${o.target.npmPackage}@${o.denoVersion}`;
  const packed =
    (await run("npm", ["pack", spec, "--silent", "--pack-destination", into], { signal: o.signal }))
      .trim().split("\n").pop()!;
  await run("tar", ["-xzf", join(into, packed), "-C", into], { signal: o.signal });
  if (!(await isFile(exe))) throw new Error(`${spec} 中没有 package/${o.target.denoExe}`);
  return exe;
}

/** Fill `<dir>/deno_dir` with every npm package the entry points and extra modules need. */
async function fillDenoDir(dir: string, o: PortableOptions): Promise<void> {
  const app = join(dir, "app");
  const entries = [...o.launchers.map((l) => l.script), ...o.extraModules];
  await run(Deno.execPath(), ["cache", "--config", join(app, "deno.json"), ...entries], {
    cwd: app,
    env: { DENO_DIR: join(dir, "deno_dir"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    signal: o.signal,
  });
  // Keep only the npm packages: the other entries are this machine's analysis caches (SQLite with WAL files).
  for await (const e of Deno.readDir(join(dir, "deno_dir"))) {
    if (e.name !== "npm") await Deno.remove(join(dir, "deno_dir", e.name), { recursive: true });
  }
}

function writeLaunchers(dir: string, o: PortableOptions): void {
  for (const l of o.launchers) {
    const flags = adaptFlags(taskRunFlags(o.tasks, l.task, l.script), { os: o.target.os, mode: "launcher" });
    const spec = { name: l.name, script: l.script, flags, denoExe: o.target.denoExe };
    if (o.target.os === "windows") {
      Deno.writeTextFileSync(join(dir, `${l.name}.cmd`), renderCmd(spec));
    } else {
      const file = join(dir, `${l.name}.sh`);
      Deno.writeTextFileSync(file, renderSh(spec, o.target.os));
      Deno.chmodSync(file, 0o755);
    }
  }
}

async function zipFolder(outDir: string, name: string, signal?: AbortSignal): Promise<string | undefined> {
  const zip = join(outDir, `${name}.zip`);
  await Deno.remove(zip).catch(() => {});
  try {
    await run("zip", ["-r", "-q", "-X", `${name}.zip`, name], { cwd: outDir, signal });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  return zip;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** Only the examples and sandbox configs: a developer's own `config/*.yaml` may hold secrets. */
export const SHIPPED_CONFIG = /\.(example|sandbox)[.-]/;

async function copyConfigExamples(src: string, dst: string): Promise<void> {
  await Deno.mkdir(dst, { recursive: true });
  for await (const e of Deno.readDir(src)) {
    if (e.isFile && SHIPPED_CONFIG.test(e.name)) await Deno.copyFile(join(src, e.name), join(dst, e.name));
  }
}

/** Copy a file or folder; `rel` (project-relative) is checked against the skip list. */
async function copyTree(src: string, dst: string, rel: string): Promise<void> {
  if (APP_SKIP.has(rel)) return;
  const st = await Deno.lstat(src);
  if (st.isDirectory) {
    await Deno.mkdir(dst, { recursive: true });
    for await (const e of Deno.readDir(src)) {
      await copyTree(join(src, e.name), join(dst, e.name), rel ? `${rel}/${e.name}` : e.name);
    }
  } else if (st.isFile) {
    await Deno.copyFile(src, dst);
    if (st.mode !== null) await Deno.chmod(dst, st.mode & 0o777);
  }
}
