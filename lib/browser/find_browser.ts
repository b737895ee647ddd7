/**
 * {@linkcode findBrowser}: the one place that decides which Chromium-family
 * browser to drive. Order: the configured path → the path in an environment
 * variable ({@linkcode BROWSER_PATH_ENV}) → the browsers installed in the
 * platform's usual places (Windows: Edge, Chrome; macOS: Chrome, Edge,
 * Chromium; Linux: chromium, google-chrome, microsoft-edge on `PATH`) → on
 * Linux x64, the headless Chromium shipped in the npm package
 * `@sparticuz/chromium` → a {@linkcode BrowserError} (`chromium_missing`)
 * listing, in Chinese, everything that was tried.
 *
 * @module
 */
import { posix, win32 } from "node:path";
import { readEnv } from "./_env.ts";
import { BrowserError } from "./browser_error.ts";
import { unpackBundledChromium } from "./bundled_chromium.ts";

/** Environment variables naming a browser executable, first one set wins. */
export const BROWSER_PATH_ENV: readonly string[] = ["FEISHU_BROWSER", "CHROME_PATH"];

/** Where a browser was found. */
export type BrowserSource = "config" | "env" | "installed" | "bundled";

/** A browser to launch. */
export interface FoundBrowser {
  /** Executable path. */
  path: string;
  /** How it was found. */
  source: BrowserSource;
  /** Short Chinese description for messages, e.g. `Microsoft Edge` or `环境变量 FEISHU_BROWSER`. */
  label: string;
  /** `true` for builds that cannot open a window (the npm-shipped headless Chromium). */
  headlessOnly: boolean;
}

/** One place looked at. */
export interface BrowserCandidate {
  /** The executable's path. */
  path: string;
  /** Where the path came from. */
  source: BrowserSource;
  /** Short Chinese description for messages. */
  label: string;
}

/** The facts discovery depends on; every one injectable so tests cover each platform anywhere. */
export interface FindBrowserOptions {
  /** Path from the configuration (`messenger.chromium_path`); empty means "not set". */
  configuredPath?: string;
  /** Operating system (default `Deno.build.os`). */
  os?: typeof Deno.build.os;
  /** CPU architecture (default `Deno.build.arch`). */
  arch?: typeof Deno.build.arch;
  /** Environment reader (default `Deno.env.get`, `undefined` where not permitted). */
  getEnv?: (name: string) => string | undefined;
  /** Is `path` an executable file? (default: `Deno.stat`, a regular file, executable bit off Windows). */
  isExecutable?: (path: string) => Promise<boolean>;
  /**
   * The npm-shipped Chromium, unpacked (default {@linkcode unpackBundledChromium});
   * resolves `undefined` when the package is not installed.
   */
  bundled?: () => Promise<string | undefined>;
}

/**
 * Find a browser. Throws {@linkcode BrowserError} `chromium_missing` whose
 * hint lists every place tried and how to fix it.
 */
export async function findBrowser(options: FindBrowserOptions = {}): Promise<FoundBrowser> {
  const os = options.os ?? Deno.build.os;
  const getEnv = options.getEnv ?? readEnv;
  const isExecutable = options.isExecutable ?? defaultIsExecutable;
  const tried: string[] = [];

  const explicit = explicitCandidates(options.configuredPath, getEnv);
  for (const c of explicit) {
    if (await isExecutable(c.path)) return { ...c, headlessOnly: false };
    // A path the user named must exist: falling back silently would hide their mistake.
    throw new BrowserError("chromium_missing", `browser not found at ${c.path}`, {
      hint: `${c.label}指定的浏览器不存在或不可执行：${c.path}。请改为正确的路径` +
        `（Windows 如 C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe），或删除该设置以自动查找。`,
    });
  }

  for (const c of installedCandidates(os, getEnv)) {
    if (await isExecutable(c.path)) return { ...c, headlessOnly: false };
    tried.push(`${c.label}：${c.path}`);
  }

  const arch = options.arch ?? Deno.build.arch;
  if (os === "linux" && arch === "x86_64") {
    const path = await (options.bundled ?? (() => unpackBundledChromium()))();
    if (path !== undefined) {
      return {
        path,
        source: "bundled",
        label: "npm 包 @sparticuz/chromium（无头 Chromium）",
        headlessOnly: true,
      };
    }
    tried.push(
      "npm 包 @sparticuz/chromium：未安装（在项目目录运行 npm test 或 npm run demo 会自动安装，" +
        "或在 tools/chromium 目录运行 npm install）",
    );
  }

  throw new BrowserError("chromium_missing", `no browser found (${tried.length} places tried)`, {
    hint: `未找到可用的浏览器（Chrome、Edge 或 Chromium）。已查找：\n  - ${tried.join("\n  - ")}\n` +
      `${installAdvice(os)}，或用环境变量 ${
        BROWSER_PATH_ENV[0]
      } / 配置项 messenger.chromium_path 指定浏览器路径。`,
  });
}

/** The configured path, then the environment variables (only those set). */
function explicitCandidates(
  configuredPath: string | undefined,
  getEnv: (name: string) => string | undefined,
): BrowserCandidate[] {
  const out: BrowserCandidate[] = [];
  if (configuredPath?.trim()) {
    out.push({ path: configuredPath.trim(), source: "config", label: "配置项 messenger.chromium_path " });
  }
  for (const name of BROWSER_PATH_ENV) {
    const value = getEnv(name)?.trim();
    if (value) out.push({ path: value, source: "env", label: `环境变量 ${name} ` });
  }
  return out.slice(0, 1);
}

/** Linux executable names looked up on `PATH`, in order. */
export const LINUX_BROWSER_NAMES: readonly string[] = [
  "chromium",
  "chromium-browser",
  "google-chrome",
  "google-chrome-stable",
  "microsoft-edge",
  "microsoft-edge-stable",
];

/** The usual install locations of the platform, in the order they are tried. */
export function installedCandidates(
  os: typeof Deno.build.os,
  getEnv: (name: string) => string | undefined,
): BrowserCandidate[] {
  if (os === "windows") {
    const programFiles = getEnv("ProgramFiles") ?? "C:\\Program Files";
    const programFilesX86 = getEnv("ProgramFiles(x86)") ?? "C:\\Program Files (x86)";
    const localAppData = getEnv("LOCALAPPDATA");
    const roots = [programFilesX86, programFiles, ...(localAppData ? [localAppData] : [])];
    const edge = roots.map((r) => win32.join(r, "Microsoft", "Edge", "Application", "msedge.exe"));
    const chrome = roots.map((r) => win32.join(r, "Google", "Chrome", "Application", "chrome.exe"));
    return [
      ...unique(edge).map((path) => ({ path, source: "installed" as const, label: "Microsoft Edge" })),
      ...unique(chrome).map((path) => ({ path, source: "installed" as const, label: "Google Chrome" })),
    ];
  }
  if (os === "darwin") {
    const apps = [
      ["Google Chrome", "Google Chrome.app/Contents/MacOS/Google Chrome"],
      ["Microsoft Edge", "Microsoft Edge.app/Contents/MacOS/Microsoft Edge"],
      ["Chromium", "Chromium.app/Contents/MacOS/Chromium"],
    ] as const;
    const home = getEnv("HOME");
    const roots = ["/Applications", ...(home ? [posix.join(home, "Applications")] : [])];
    return apps.flatMap(([label, rel]) =>
      roots.map((root) => ({ path: posix.join(root, rel), source: "installed" as const, label }))
    );
  }
  // Linux and the other Unix-likes: the names on PATH.
  const dirs = unique((getEnv("PATH") ?? "").split(":").filter((d) => d.startsWith("/")));
  return LINUX_BROWSER_NAMES.flatMap((name) =>
    dirs.map((dir) => ({ path: posix.join(dir, name), source: "installed" as const, label: name }))
  );
}

function installAdvice(os: typeof Deno.build.os): string {
  if (os === "windows") return "请安装 Microsoft Edge 或 Google Chrome";
  if (os === "darwin") return "请安装 Google Chrome 或 Microsoft Edge";
  return "请安装 chromium（如 apt-get install chromium）或 Google Chrome，或在 tools/chromium 目录运行 npm install 获取内置 Chromium";
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

async function defaultIsExecutable(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return false;
    return Deno.build.os === "windows" || info.mode === null || (info.mode & 0o111) !== 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) throw e;
    return false;
  }
}
