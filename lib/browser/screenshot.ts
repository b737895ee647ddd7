/**
 * {@linkcode saveElementScreenshot}: save one element of a page as a PNG
 * (used to hand a QR login code to a person when Chromium runs headless).
 *
 * @module
 */
import type { Page } from "puppeteer-core";
import { BrowserError } from "./browser_error.ts";

/** Options of {@linkcode saveElementScreenshot}. */
export interface ElementScreenshotOptions {
  /** Time allowed for the element to appear, ms (default 10 000). */
  timeoutMs?: number;
  /** Cancel the wait. */
  signal?: AbortSignal;
}

/**
 * Wait for `selector` on `page` and save its screenshot to `path` as PNG
 * (written to `<path>.part`, then renamed). Returns the byte count. Throws
 * {@linkcode BrowserError} `element_missing` when it never appears.
 */
export async function saveElementScreenshot(
  page: Page,
  selector: string,
  path: string,
  options: ElementScreenshotOptions = {},
): Promise<number> {
  const timeout = options.timeoutMs ?? 10_000;
  const element = await page.waitForSelector(selector, { visible: true, timeout, signal: options.signal })
    .catch((e) => {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new BrowserError("element_missing", `no element ${selector}: ${(e as Error).message}`, {
        cause: e,
        hint: `页面上没有找到元素 ${selector}：页面可能已改版，请在配置中覆盖该选择器。`,
      });
    });
  if (!element) {
    throw new BrowserError("element_missing", `no element ${selector}`, {
      hint: `页面上没有找到元素 ${selector}：页面可能已改版，请在配置中覆盖该选择器。`,
    });
  }
  // element.screenshot() never settles when the page navigates mid-capture: bound it.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const png = await Promise.race([
    element.screenshot({ type: "png" }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new BrowserError("timeout", `screenshot of ${selector} timed out`, {
              hint: "截取二维码超时（页面可能正在跳转），稍后会自动重试。",
            }),
          ),
        timeout,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  await Deno.writeFile(`${path}.part`, png);
  await Deno.rename(`${path}.part`, path);
  return png.byteLength;
}
