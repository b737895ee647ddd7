/**
 * A small driver over puppeteer-core for Chromium-family browsers: find one
 * (configured path, `FEISHU_BROWSER`, installed Chrome/Edge/Chromium, or the
 * npm-shipped headless Chromium on Linux x64), launch it with narrow flags and
 * a (persistent) profile directory, capture downloads through the
 * DevTools protocol, and save an element (a QR code) as PNG. Failures are
 * {@linkcode BrowserError}s with Chinese hints.
 *
 * @example
 * ```ts
 * import { DownloadCapture, launchBrowser } from "./mod.ts";
 *
 * const chromium = await launchBrowser({ profileDir: ".state/chromium", headless: true });
 * const page = await chromium.page();
 * await page.goto("http://127.0.0.1:18080/messenger/");
 * const downloads = await DownloadCapture.attach(chromium.browser, ".state/downloads");
 * const file = await downloads.capture(() => page.click(".download-button"));
 * console.log(file.suggestedFilename, file.bytes);
 * await chromium.close();
 * ```
 *
 * @module
 */
export * from "./browser_error.ts";
export * from "./find_browser.ts";
export * from "./bundled_chromium.ts";
export * from "./default_headless.ts";
export * from "./launch_browser.ts";
export * from "./download_capture.ts";
export * from "./screenshot.ts";
