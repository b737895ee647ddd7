/** The Chromium driver on its own: typed errors, download capture, element screenshots. */
import assert from "node:assert/strict";
import { LarkError } from "../../lib/errors/mod.ts";
import {
  BROWSER_FLAGS,
  BrowserError,
  browserFlags,
  DownloadCapture,
  launchBrowser,
  saveElementScreenshot,
} from "../../lib/browser/mod.ts";

// Sanitizers off: puppeteer-core keeps the Chromium child's pipes and its own timers past close().
const browserTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, fn, sanitizeResources: false, sanitizeOps: false });

/** A tiny loopback server: `/` has a download link and a plain link; `/file` is an attachment. */
function serve(): { url: string; close: () => Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/file") {
      return new Response("hello, 表格", {
        headers: {
          "content-type": "application/octet-stream",
          "content-disposition": `attachment; filename="a.bin"; filename*=UTF-8''${
            encodeURIComponent("数据.bin")
          }`,
        },
      });
    }
    return new Response(
      `<!DOCTYPE html><meta charset="utf-8"><a id="dl" href="/file">下载</a> <span id="nothing">无</span>
       <div id="box" style="width:40px;height:30px;background:#000"></div>`,
      { headers: { "content-type": "text/html; charset=utf-8" } },
    );
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

Deno.test("launchBrowser: a configured path that does not exist is a typed error naming it", async () => {
  const err = await launchBrowser({ executablePath: "/nonexistent/chromium" }).then(
    () => assert.fail("should not launch"),
    (e) => e,
  );
  assert.ok(err instanceof BrowserError);
  assert.ok(err instanceof LarkError);
  assert.equal(err.reason, "chromium_missing");
  assert.equal(err.kind, "config");
  assert.match(
    err.hint,
    /配置项 messenger\.chromium_path 指定的浏览器不存在或不可执行：\/nonexistent\/chromium/,
  );
  assert.match(err.userMessage(), /\/nonexistent\/chromium/);
});

Deno.test("launchBrowser: nothing found anywhere lists every place tried, launches nothing", async () => {
  const err = await launchBrowser({
    find: {
      os: "linux",
      arch: "x86_64",
      getEnv: (n) => (n === "PATH" ? "/opt/none" : undefined),
      isExecutable: () => Promise.resolve(false),
      bundled: () => Promise.resolve(undefined),
    },
  }).then(() => assert.fail("should not launch"), (e) => e);
  assert.ok(err instanceof BrowserError);
  assert.equal(err.reason, "chromium_missing");
  assert.match(err.hint, /\/opt\/none\/chromium/);
  assert.match(err.hint, /@sparticuz\/chromium：未安装/);
});

Deno.test("launchBrowser: the required flags; --no-sandbox on Linux only", () => {
  for (
    const flag of [
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ]
  ) {
    assert.ok(BROWSER_FLAGS.includes(flag), flag);
    for (const os of ["linux", "windows", "darwin"] as const) assert.ok(browserFlags(os).includes(flag));
  }
  assert.ok(browserFlags("linux").includes("--no-sandbox"));
  assert.ok(!browserFlags("windows").includes("--no-sandbox"));
  assert.ok(!browserFlags("darwin").includes("--no-sandbox"));
});

browserTest("launchBrowser: temporary profile removed; a profile in use is reported", async () => {
  const chromium = await launchBrowser({ headless: true });
  assert.equal(chromium.temporaryProfile, true);
  assert.equal(chromium.headless, true);
  assert.ok(["config", "env", "installed", "bundled"].includes(chromium.found.source));
  assert.match(await chromium.browser.version(), /Chrome|Chromium/);
  const err = await launchBrowser({ headless: true, profileDir: chromium.profileDir, timeoutMs: 10_000 })
    .then(
      async (b) => {
        await b.close();
        return undefined;
      },
      (e) => e,
    );
  await chromium.close();
  await chromium.close(); // twice is fine
  assert.ok(err instanceof BrowserError, String(err));
  assert.equal(err.reason, "profile_in_use");
  assert.match(err.hint, /正被另一个浏览器使用/);
  assert.equal(await Deno.stat(chromium.profileDir).then(() => true, () => false), false);
});

browserTest("DownloadCapture: captures a click's download; no download is a typed error", async () => {
  const site = serve();
  const tmp = await Deno.makeTempDir();
  const chromium = await launchBrowser({ headless: true, profileDir: `${tmp}/profile` });
  try {
    const page = await chromium.page();
    await page.goto(site.url);
    const downloads = await DownloadCapture.attach(chromium.browser, `${tmp}/dl`);
    const file = await downloads.capture(() => page.click("#dl"));
    assert.equal(file.suggestedFilename, "数据.bin");
    assert.equal(new TextDecoder().decode(await Deno.readFile(file.path)), "hello, 表格");
    assert.equal(file.bytes, new TextEncoder().encode("hello, 表格").byteLength);
    assert.ok(file.url.endsWith("/file"));

    const err = await downloads.capture(() => page.click("#nothing"), { startTimeoutMs: 300 }).catch((e) =>
      e
    );
    assert.ok(err instanceof BrowserError);
    assert.equal(err.reason, "download_failed");
    assert.equal(err.retryable, true);

    const aborted = new AbortController();
    aborted.abort(new Error("stop"));
    await assert.rejects(downloads.capture(() => page.click("#dl"), { signal: aborted.signal }), /stop/);

    const pngPath = `${tmp}/shots/box.png`;
    const bytes = await saveElementScreenshot(page, "#box", pngPath);
    const png = await Deno.readFile(pngPath);
    assert.equal(png.byteLength, bytes);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const missing = await saveElementScreenshot(page, "#absent", `${tmp}/x.png`, { timeoutMs: 200 }).catch((
      e,
    ) => e);
    assert.ok(missing instanceof BrowserError);
    assert.equal(missing.reason, "element_missing");
    await downloads.detach();
  } finally {
    await chromium.close();
    await site.close();
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test({
  name: "launchBrowser: the npm-shipped Chromium (Linux x64, nothing installed) always runs headless",
  ignore: Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  // Sanitizers off: puppeteer-core keeps the Chromium child's pipes and its own timers past close().
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const chromium = await launchBrowser({
      headless: false, // asked for a window, as on a desktop
      find: { getEnv: (n) => (n === "PATH" ? "/nonexistent" : n === "DISPLAY" ? ":0" : undefined) },
    });
    try {
      assert.equal(chromium.found.source, "bundled");
      assert.equal(chromium.found.headlessOnly, true);
      assert.equal(chromium.headless, true);
      assert.match(await chromium.browser.version(), /HeadlessChrome/);
    } finally {
      await chromium.close();
    }
  },
});
