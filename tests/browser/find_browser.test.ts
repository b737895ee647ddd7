/**
 * Browser discovery on every platform, through injected facts (OS, CPU,
 * environment, which files exist), plus the npm-shipped Chromium unpacker on
 * a small fake package and the headed/headless default.
 */
import assert from "node:assert/strict";
import { restrictedWorker } from "../../lib/worker/restricted_worker.ts";
import { brotliCompressSync } from "node:zlib";
import {
  BrowserError,
  defaultHeadless,
  findBrowser,
  type FindBrowserOptions,
  installedCandidates,
  unpackBundledChromium,
} from "../../lib/browser/mod.ts";

/** Facts of a machine where exactly `present` exist. */
function machine(
  os: typeof Deno.build.os,
  env: Record<string, string>,
  present: string[],
  extra: Partial<FindBrowserOptions> = {},
): FindBrowserOptions {
  const looked: string[] = [];
  return {
    os,
    arch: "x86_64",
    getEnv: (n) => env[n],
    isExecutable: (p) => {
      looked.push(p);
      return Promise.resolve(present.includes(p));
    },
    bundled: () => Promise.resolve(undefined),
    ...extra,
  };
}

const WIN_ENV = {
  "ProgramFiles": "C:\\Program Files",
  "ProgramFiles(x86)": "C:\\Program Files (x86)",
  "LOCALAPPDATA": "C:\\Users\\张 三\\AppData\\Local",
};
const EDGE_X86 = "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe";
const CHROME_USER = "C:\\Users\\张 三\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe";

Deno.test("findBrowser (Windows): Edge in Program Files (x86) first, then Chrome incl. LocalAppData", async () => {
  const edge = await findBrowser(machine("windows", WIN_ENV, [EDGE_X86, CHROME_USER]));
  assert.deepEqual(edge, {
    path: EDGE_X86,
    source: "installed",
    label: "Microsoft Edge",
    headlessOnly: false,
  });
  const chrome = await findBrowser(machine("windows", WIN_ENV, [CHROME_USER]));
  assert.equal(chrome.path, CHROME_USER);
  assert.equal(chrome.label, "Google Chrome");
  // Without the variables, the usual drive-C folders are still tried.
  const bare = installedCandidates("windows", () => undefined).map((c) => c.path);
  assert.ok(bare.includes(EDGE_X86));
  assert.ok(bare.includes("C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"));
});

Deno.test("findBrowser (Windows): nothing found lists the places tried; no npm Chromium off Linux", async () => {
  let bundledAsked = false;
  const err = await findBrowser(
    machine("windows", WIN_ENV, [], {
      bundled: () => {
        bundledAsked = true;
        return Promise.resolve("/x");
      },
    }),
  ).then(() => assert.fail("found"), (e) => e);
  assert.ok(err instanceof BrowserError);
  assert.equal(err.reason, "chromium_missing");
  assert.equal(bundledAsked, false);
  assert.ok(err.hint.includes(EDGE_X86), err.hint);
  assert.ok(err.hint.includes(CHROME_USER), err.hint);
  assert.match(err.hint, /请安装 Microsoft Edge 或 Google Chrome/);
  assert.doesNotMatch(err.hint, /apt-get/);
});

Deno.test("findBrowser (macOS): Chrome, Edge, Chromium in /Applications or ~/Applications", async () => {
  const env = { HOME: "/Users/zhang" };
  const userEdge = "/Users/zhang/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge";
  const chromium = "/Applications/Chromium.app/Contents/MacOS/Chromium";
  const chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
  assert.equal((await findBrowser(machine("darwin", env, [chromium, userEdge, chrome]))).path, chrome);
  const found = await findBrowser(machine("darwin", env, [chromium, userEdge]));
  assert.equal(found.path, userEdge);
  assert.equal(found.label, "Microsoft Edge");
  assert.equal((await findBrowser(machine("darwin", env, [chromium]))).path, chromium);
  const err = await findBrowser(machine("darwin", env, [])).catch((e) => e);
  assert.match(err.hint, /请安装 Google Chrome 或 Microsoft Edge/);
});

Deno.test("findBrowser (Linux): names on PATH in order; then the npm Chromium on x64 only", async () => {
  const env = { PATH: "/usr/local/bin:/usr/bin:relative/bin" };
  assert.equal(
    (await findBrowser(machine("linux", env, ["/usr/bin/google-chrome", "/usr/bin/chromium"]))).path,
    "/usr/bin/chromium",
  );
  assert.equal(
    (await findBrowser(machine("linux", env, ["/usr/bin/microsoft-edge"]))).label,
    "microsoft-edge",
  );
  // A relative PATH entry is never searched.
  const tried = installedCandidates("linux", (n) => env[n as keyof typeof env]).map((c) => c.path);
  assert.ok(tried.every((p) => p.startsWith("/usr/")), tried.join());

  const bundled = await findBrowser(
    machine("linux", env, [], { bundled: () => Promise.resolve("/proj/.state/browser/chromium-1/chromium") }),
  );
  assert.deepEqual(bundled, {
    path: "/proj/.state/browser/chromium-1/chromium",
    source: "bundled",
    label: "npm 包 @sparticuz/chromium（无头 Chromium）",
    headlessOnly: true,
  });

  const arm = await findBrowser(
    machine("linux", env, [], { arch: "aarch64", bundled: () => Promise.resolve("/x") }),
  ).catch((e) => e);
  assert.ok(arm instanceof BrowserError, "no npm Chromium on arm64");

  const none = await findBrowser(machine("linux", env, [])).catch((e) => e);
  assert.ok(none instanceof BrowserError);
  for (const p of ["/usr/local/bin/chromium", "/usr/bin/google-chrome-stable", "/usr/bin/microsoft-edge"]) {
    assert.ok(none.hint.includes(p), p);
  }
  assert.match(
    none.hint,
    /npm 包 @sparticuz\/chromium：未安装（在项目目录运行 npm test 或 npm run demo 会自动安装/,
  );
  assert.match(none.hint, /FEISHU_BROWSER/);
});

Deno.test("findBrowser: the configured path, then FEISHU_BROWSER / CHROME_PATH, win over installed ones", async () => {
  const env = { PATH: "/usr/bin", FEISHU_BROWSER: " /opt/edge/msedge ", CHROME_PATH: "/opt/chrome" };
  const present = ["/usr/bin/chromium", "/opt/edge/msedge", "/opt/chrome", "/cfg/chrome"];
  const cfg = await findBrowser({ ...machine("linux", env, present), configuredPath: "/cfg/chrome" });
  assert.deepEqual([cfg.path, cfg.source], ["/cfg/chrome", "config"]);
  const fromEnv = await findBrowser({ ...machine("linux", env, present), configuredPath: "  " });
  assert.deepEqual([fromEnv.path, fromEnv.source], ["/opt/edge/msedge", "env"]);
  const chromePath = await findBrowser(machine("linux", { ...env, FEISHU_BROWSER: "" }, present));
  assert.equal(chromePath.path, "/opt/chrome");

  // A named browser that is missing is reported, not silently replaced by another one.
  const err = await findBrowser(machine("windows", { FEISHU_BROWSER: "D:\\浏览器\\chrome.exe" }, [EDGE_X86]))
    .catch((e) => e);
  assert.ok(err instanceof BrowserError);
  assert.match(err.hint, /环境变量 FEISHU_BROWSER 指定的浏览器不存在或不可执行：D:\\浏览器\\chrome\.exe/);
});

Deno.test("defaultHeadless: a window on Windows/macOS and Linux desktops, headless elsewhere", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assert.equal(defaultHeadless({ os: "windows", getEnv: env({}) }), false);
  assert.equal(defaultHeadless({ os: "darwin", getEnv: env({}) }), false);
  assert.equal(defaultHeadless({ os: "linux", getEnv: env({ DISPLAY: ":0" }) }), false);
  assert.equal(defaultHeadless({ os: "linux", getEnv: env({ WAYLAND_DISPLAY: "wayland-0" }) }), false);
  assert.equal(defaultHeadless({ os: "linux", getEnv: env({}) }), true);
  assert.equal(defaultHeadless({ os: "linux", getEnv: env({ DISPLAY: " " }) }), true);
});

Deno.test("unpackBundledChromium: unpacks once into the cache (0700), reuses it; absent package → undefined", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const pkg = `${tmp}/node_modules/@sparticuz/chromium`;
    await Deno.mkdir(`${pkg}/bin`, { recursive: true });
    await Deno.writeTextFile(`${pkg}/package.json`, JSON.stringify({ version: "9.8.7" }));
    const body = new TextEncoder().encode("#!/bin/sh\necho fake chromium\n".repeat(1000));
    await Deno.writeFile(`${pkg}/bin/chromium.br`, brotliCompressSync(body));
    const options = { packageDirs: [`${tmp}/nothing-here`, `${tmp}/node_modules`], cacheDir: `${tmp}/cache` };

    // Two processes' worth of concurrent calls: one copy, no leftovers.
    const [a, b] = await Promise.all([unpackBundledChromium(options), unpackBundledChromium(options)]);
    const expected = await Deno.realPath(`${tmp}/cache/chromium-9.8.7/chromium`);
    assert.equal(a, expected);
    assert.equal(b, expected);
    assert.deepEqual(await Deno.readFile(expected), body);
    assert.equal((await Deno.stat(expected)).mode! & 0o777, 0o700);
    const left = [];
    for await (const e of Deno.readDir(`${tmp}/cache`)) left.push(e.name);
    assert.deepEqual(left, ["chromium-9.8.7"]);

    // Second use: no unpacking (the package's file may even be gone).
    await Deno.remove(`${pkg}/bin/chromium.br`);
    await Deno.writeFile(`${pkg}/bin/chromium.br`, new Uint8Array([1]));
    assert.equal(await unpackBundledChromium(options), expected);

    assert.equal(
      await unpackBundledChromium({ packageDirs: [`${tmp}/none`], cacheDir: `${tmp}/c2` }),
      undefined,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("profile lock (headless shell): held by a live process → refused; a dead owner's lock is taken over", async () => {
  const { lockProfile } = await import("../../lib/browser/_profile_lock.ts");
  const dir = await Deno.makeTempDir();
  try {
    const first = await lockProfile(dir);
    assert.ok(first);
    assert.equal(await lockProfile(dir), false, "this process already holds it");
    await first.release();
    // A pid that cannot be alive (above the kernel's pid_max) stands for a run killed with -9.
    await Deno.writeTextFile(`${dir}/.feishu-kit-browser.pid`, "99999999");
    const taken = await lockProfile(dir);
    assert.ok(taken);
    assert.equal(await Deno.readTextFile(`${dir}/.feishu-kit-browser.pid`), String(Deno.pid));
    await taken.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("profile lock: an OS file lock, so a Worker (no /proc) sees a held lock and takes a freed one", async () => {
  const { lockProfile } = await import("../../lib/browser/_profile_lock.ts");
  const dir = await Deno.makeTempDir();
  const inWorker = async () => {
    const w = restrictedWorker(new URL("./_lock_probe_worker.ts", import.meta.url), {
      read: [dir],
      write: [dir],
    });
    try {
      return await new Promise<boolean>((resolve) => {
        w.onmessage = (e) => resolve(e.data);
        w.postMessage(dir);
      });
    } finally {
      w.terminate();
    }
  };
  try {
    const held = await lockProfile(dir);
    assert.ok(held);
    assert.equal(await inWorker(), false, "held by the main thread");
    await held.release();
    assert.equal(await inWorker(), true, "free once released (the worker's ends with it)");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
