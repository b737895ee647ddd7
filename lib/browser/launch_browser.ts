/**
 * {@linkcode launchBrowser}: start a Chromium-family browser (found by
 * {@linkcode findBrowser} unless a path is given) through puppeteer-core with a
 * narrow set of flags and a profile directory (a persistent one keeps logins
 * between runs; without one a temporary profile is used and removed).
 *
 * @module
 */
import { ensurePrivateDir } from "../fs/private_file.ts";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { lockProfile } from "./_profile_lock.ts";
import { BrowserError } from "./browser_error.ts";
import { defaultHeadless } from "./default_headless.ts";
import { findBrowser, type FindBrowserOptions, type FoundBrowser } from "./find_browser.ts";

/** Flags always passed to the browser (plus `--user-data-dir`, set from the profile). */
export const BROWSER_FLAGS: readonly string[] = [
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Flags for the platform: {@linkcode BROWSER_FLAGS}, plus `--no-sandbox` on Linux only
 * (containers and root lack what Chromium's sandbox needs; on Windows and macOS the sandbox
 * works, and the flag would put a warning bar in the window a person scans the QR code in).
 */
export function browserFlags(os: typeof Deno.build.os = Deno.build.os): string[] {
  return os === "linux" ? ["--no-sandbox", ...BROWSER_FLAGS] : [...BROWSER_FLAGS];
}

/** Options of {@linkcode launchBrowser}. */
export interface LaunchBrowserOptions {
  /**
   * Browser executable; when empty, {@linkcode findBrowser} looks for one
   * (the `FEISHU_BROWSER` / `CHROME_PATH` variables, installed browsers, the
   * npm-shipped Chromium on Linux x64).
   */
  executablePath?: string;
  /**
   * A browser {@linkcode findBrowser} already found (no discovery then): a
   * Worker allowed to run only that file gets it from the main thread.
   */
  browser?: FoundBrowser;
  /** Discovery facts for {@linkcode findBrowser} (tests). */
  find?: Omit<FindBrowserOptions, "configuredPath">;
  /**
   * Profile directory (`--user-data-dir`), created when missing. Reuse it to
   * keep logins. Default: a fresh temporary directory removed by `close()`.
   */
  profileDir?: string;
  /**
   * Run without a window. Default {@linkcode defaultHeadless}: a window on a
   * desktop, headless elsewhere. Headless-only builds always run headless.
   */
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
  /** Which browser runs, and how it was found. */
  readonly found: FoundBrowser;
  /** `true` when it runs without a window (show the QR code as a PNG then). */
  readonly headless: boolean;
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
 * Launch the browser. Throws {@linkcode BrowserError}: `chromium_missing`
 * (with a hint listing where it looked), `profile_in_use`, or `launch_failed`.
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<LaunchedBrowser> {
  options.signal?.throwIfAborted();
  const found = options.browser ??
    await findBrowser({ ...options.find, configuredPath: options.executablePath });
  const executablePath = found.path;
  const headless = found.headlessOnly || (options.headless ?? defaultHeadless(options.find));
  options.signal?.throwIfAborted();
  const temporaryProfile = options.profileDir === undefined;
  const profileDir = options.profileDir ?? await Deno.makeTempDir({ prefix: "feishu-kit-chromium-" });
  // The profile keeps the messenger login (session cookies): owner-only, like other state.
  await ensurePrivateDir(profileDir);
  // Full browsers lock their profile themselves (SingletonLock); the headless shell does not.
  const lock = found.headlessOnly ? await lockProfile(profileDir) : undefined;
  if (lock === false) throw profileInUse(profileDir, "profile locked by another process");
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless,
      userDataDir: profileDir,
      // DevTools over a pipe: Chromium exits when this process dies (even by kill -9), so
      // no orphan keeps holding the profile (a WebSocket-driven Chromium would live on).
      pipe: true,
      args: [...browserFlags(options.find?.os), ...(options.args ?? [])],
      timeout: options.timeoutMs ?? 30_000,
      signal: options.signal,
      defaultViewport: { width: 1200, height: 900 },
    });
  } catch (e) {
    await lock?.release();
    if (temporaryProfile) await Deno.remove(profileDir, { recursive: true }).catch(() => {});
    if (options.signal?.aborted) throw options.signal.reason;
    throw await launchError(e, profileDir, found);
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await browser.close().catch(() => {});
      await lock?.release();
      if (temporaryProfile) await Deno.remove(profileDir, { recursive: true }).catch(() => {});
    })();
    return closing;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  return {
    browser,
    found,
    headless,
    profileDir,
    temporaryProfile,
    page: async () => (await browser.pages())[0] ?? await browser.newPage(),
    close,
  };
}

async function launchError(e: unknown, profileDir: string, found: FoundBrowser): Promise<BrowserError> {
  const message = e instanceof Error ? e.message : String(e);
  let locked = false;
  try {
    await Deno.lstat(`${profileDir}/SingletonLock`);
    locked = true;
  } catch {
    locked = false;
  }
  if (locked) return profileInUse(profileDir, message, e);
  return new BrowserError("launch_failed", message, {
    cause: e,
    hint: `无法启动浏览器（${found.label}：${found.path}）：请确认它能正常打开；` +
      "没有图形界面时请使用无头模式（messenger.headless: true），" +
      `或用环境变量 FEISHU_BROWSER 指定另一个 Chrome / Edge / Chromium。`,
  });
}

function profileInUse(profileDir: string, message: string, cause?: unknown): BrowserError {
  return new BrowserError("profile_in_use", message, {
    cause,
    hint:
      `浏览器配置目录 ${profileDir} 正被另一个浏览器使用：请关闭那个浏览器（或上次未退出的导出任务）后重试。`,
  });
}
