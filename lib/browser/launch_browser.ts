/**
 * {@linkcode launchBrowser}: start Debian Chromium through puppeteer-core
 * with a narrow set of flags and a profile directory (a persistent one keeps
 * logins between runs; without one a temporary profile is used and removed).
 *
 * @module
 */
import { ensurePrivateDir } from "../fs/private_file.ts";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { BrowserError } from "./browser_error.ts";

/** Default Chromium executable (Debian package `chromium`). */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/** Flags always passed to Chromium (plus `--user-data-dir`, set from the profile). */
export const BROWSER_FLAGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Options of {@linkcode launchBrowser}. */
export interface LaunchBrowserOptions {
  /** Chromium executable (default `/usr/bin/chromium`). */
  executablePath?: string;
  /**
   * Profile directory (`--user-data-dir`), created when missing. Reuse it to
   * keep logins. Default: a fresh temporary directory removed by `close()`.
   */
  profileDir?: string;
  /** Run without a window (default `true`). */
  headless?: boolean;
  /** Extra Chromium flags. */
  args?: readonly string[];
  /** Time allowed for Chromium to start, ms (default 30 000). */
  timeoutMs?: number;
  /** Abort the launch; once launched, aborting closes the browser. */
  signal?: AbortSignal;
}

/** A running Chromium. */
export interface LaunchedBrowser {
  /** The puppeteer-core browser. */
  readonly browser: Browser;
  /** Its profile directory. */
  readonly profileDir: string;
  /** `true` when the profile is temporary (removed on close). */
  readonly temporaryProfile: boolean;
  /** The first tab (reused), or a new one. */
  page(): Promise<Page>;
  /** Close Chromium (and remove a temporary profile). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Launch Chromium. Throws {@linkcode BrowserError}: `chromium_missing` (with
 * the hint "请安装 chromium：apt-get install chromium"), `profile_in_use`, or
 * `launch_failed`.
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<LaunchedBrowser> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM_PATH;
  options.signal?.throwIfAborted();
  await requireExecutable(executablePath);
  const temporaryProfile = options.profileDir === undefined;
  const profileDir = options.profileDir ?? await Deno.makeTempDir({ prefix: "feishu-kit-chromium-" });
  // The profile keeps the messenger login (session cookies): owner-only, like other state.
  await ensurePrivateDir(profileDir);
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: options.headless ?? true,
      userDataDir: profileDir,
      // DevTools over a pipe: Chromium exits when this process dies (even by kill -9), so
      // no orphan keeps holding the profile (a WebSocket-driven Chromium would live on).
      pipe: true,
      args: [...BROWSER_FLAGS, ...(options.args ?? [])],
      timeout: options.timeoutMs ?? 30_000,
      signal: options.signal,
      defaultViewport: { width: 1200, height: 900 },
    });
  } catch (e) {
    if (temporaryProfile) await Deno.remove(profileDir, { recursive: true }).catch(() => {});
    if (options.signal?.aborted) throw options.signal.reason;
    throw await launchError(e, profileDir, executablePath);
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await browser.close().catch(() => {});
      if (temporaryProfile) await Deno.remove(profileDir, { recursive: true }).catch(() => {});
    })();
    return closing;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  return {
    browser,
    profileDir,
    temporaryProfile,
    page: async () => (await browser.pages())[0] ?? await browser.newPage(),
    close,
  };
}

async function requireExecutable(path: string): Promise<void> {
  try {
    const info = await Deno.stat(path);
    if (info.isFile) return;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  throw new BrowserError("chromium_missing", `chromium not found at ${path}`, {
    hint: `未找到 Chromium（${path}）：请安装 chromium：apt-get install chromium，或在配置中指定浏览器路径。`,
  });
}

async function launchError(e: unknown, profileDir: string, executablePath: string): Promise<BrowserError> {
  const message = e instanceof Error ? e.message : String(e);
  let locked = false;
  try {
    await Deno.lstat(`${profileDir}/SingletonLock`);
    locked = true;
  } catch {
    locked = false;
  }
  if (locked) {
    return new BrowserError("profile_in_use", message, {
      cause: e,
      hint:
        `浏览器配置目录 ${profileDir} 正被另一个 Chromium 使用：请关闭那个浏览器（或上次未退出的导出任务）后重试。`,
    });
  }
  return new BrowserError("launch_failed", message, {
    cause: e,
    hint: `无法启动 Chromium（${executablePath}）：请确认已安装 chromium（apt-get install chromium），` +
      "无图形界面时请使用无头模式（headless: true）。",
  });
}
