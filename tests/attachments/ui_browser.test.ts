/**
 * The desktop UI in real headless Chromium: load, switch language (a
 * screenshot per language), start/stop, counts moving during a job, the
 * "only failed" filter. The browser is found as the tools find it
 * (lib/browser `findBrowser`: `FEISHU_BROWSER`, an installed Chrome/Edge/
 * Chromium, or on Linux x64 the npm Chromium that `npm test` installs); the
 * test is ignored, with a message, only where none is found.
 */
import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import type { Page } from "puppeteer-core";
import { findBrowser, type FoundBrowser, launchBrowser } from "../../lib/browser/mod.ts";
import { runPlugin } from "../../sandbox/plugin/mod.ts";
import { startUiHarness } from "./_ui_harness.ts";

/** Text of the first element matching `sel` (Deno's type check has no DOM lib: the page-side function is untyped). */
function text(page: Page, sel: string): Promise<string> {
  return page.$eval(sel, (e) => (e as unknown as { textContent: string | null }).textContent ?? "");
}

/** Poll until `sel`'s text satisfies `ok`. */
async function waitText(page: Page, sel: string, ok: (t: string) => boolean, ms = 20_000): Promise<void> {
  await waitFor(async () => ok(await text(page, sel).catch(() => "")), {
    timeoutMs: ms,
    intervalMs: 30,
    what: `${sel} to match`,
  });
}

const browser: FoundBrowser | undefined = await findBrowser().catch((e) => {
  console.warn(`ui_browser.test.ts 跳过：未找到浏览器（${e instanceof Error ? e.message : e}）。`);
  return undefined;
});

Deno.test({
  name: "ui in Chromium: language switch with screenshots, start/stop, counts move, only-failed filter",
  ignore: !browser,
  // Sanitizers off: puppeteer-core keeps the Chromium child's pipes and its own timers past close().
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const h = await startUiHarness({ attachments: 30, sizes: [200_000], slowChunkMs: 15, urlDenied: 0.15 });
    const b = await launchBrowser({
      browser,
      headless: true,
    });
    try {
      const page = await b.page();
      await page.goto(h.ui.url);
      await waitText(page, "h1", (t) => t === "飞书多维表格附件下载器");
      // ATTACHMENTS_UI_SHOTS keeps the screenshots for a person to look at.
      const shots = Deno.env.get("ATTACHMENTS_UI_SHOTS") ?? `${h.dir}/shots`;
      await Deno.mkdir(shots, { recursive: true });
      await page.screenshot({ path: `${shots}/zh.png` });
      const titles = { "zh-TW": "飛書多維表格附件下載器", ja: "Feishu Base 添付ファイルダウンローダー" };
      for (const [lang, title] of Object.entries(titles)) {
        await page.select("#lang", lang);
        await waitText(page, "h1", (t) => t === title);
        await page.screenshot({ path: `${shots}/${lang}.png` });
      }
      await page.select("#lang", "en");
      await waitText(page, "h1", (t) => t === "Feishu Base Attachment Downloader");
      await page.screenshot({ path: `${shots}/en.png` });
      for (const l of ["zh", "zh-TW", "en", "ja"]) {
        assert.ok((await Deno.stat(`${shots}/${l}.png`)).size > 5000, `${l} screenshot`);
      }
      assert.equal(h.app.language, "en", "the choice is saved");

      await page.click("#start");
      await waitText(page, "#svc", (t) => t.startsWith("Running"));
      const job = runPlugin({
        service: h.app.service!.url,
        sandbox: h.server.url,
        mode: "url",
        jobName: "ui",
      });
      const seen = new Set<string>();
      await waitFor(async () => seen.add(await text(page, "#c-done")).size >= 3, {
        timeoutMs: 60_000,
        intervalMs: 50,
        what: "three different done counts",
      });
      const r = await job;
      assert.ok(
        r.failed.size > 0 && r.succeeded.size > 0,
        `${r.succeeded.size} ok / ${r.failed.size} failed`,
      );
      await waitText(page, "#c-failed", (t) => t === String(r.failed.size));
      await page.screenshot({ path: `${shots}/en-job.png`, fullPage: true });
      await page.click("#onlyFailed");
      const statuses = await page.$$eval(
        "#files tr",
        (rows) => rows.map((x) => (x as unknown as { dataset: { status?: string } }).dataset.status),
      );
      assert.equal(statuses.length, r.failed.size);
      assert.ok(statuses.every((s) => s === "failed"));
      // The "job finished, open the folder?" banner.
      await waitText(page, "#doneText", (t) => t.includes(`${r.succeeded.size}/30`));
      await page.click("#doneOpen");
      await waitFor(() => h.opened.length > 0, { intervalMs: 20, what: "the folder opened" });
      assert.equal(h.opened[0], `${h.app.settings.output}/ui`);
      await page.click("#stop");
      await waitText(page, "#svc", (t) => t === "Stopped");
      assert.equal(h.app.running, false);
    } finally {
      await b.close();
      await h.close();
    }
  },
});
