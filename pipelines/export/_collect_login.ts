/**
 * The QR login step of the browser collector (internal). The QR code is
 * shown to a person — in the window when Chromium is headed, else saved as a
 * PNG whose path is printed — and the step waits until the page leaves the
 * login screen. A renewed code (the page reloads an expired one) is saved
 * and announced again.
 *
 * @module
 */
import type { Page } from "puppeteer-core";
import { BrowserError, saveElementScreenshot } from "../../lib/browser/mod.ts";
import type { Clock } from "../../lib/time/mod.ts";
import { pageKind } from "./_collect_page.ts";
import type { MessengerSelectors } from "./_collect_selectors.ts";

/** What the person is shown. */
export interface QrPrompt {
  /** PNG of the code (headless only). */
  pngPath?: string;
  /** `true` when the code is in a browser window. */
  headed: boolean;
  /** The code's identity (its token attribute), when the page exposes one. */
  token?: string;
}

/** Options of {@linkcode waitForQrLogin}. */
export interface QrLoginOptions {
  /** Selectors. */
  selectors: MessengerSelectors;
  /** Headed (QR in the window) or headless (QR saved as PNG). */
  headless: boolean;
  /** Where the PNG goes. */
  qrSavePath: string;
  /** Time allowed for the scan, ms. */
  timeoutMs: number;
  /** How often to look, ms. */
  pollMs: number;
  /** Time source. */
  clock: Clock;
  /** Prints a Chinese line for the person. */
  print: (line: string) => void;
  /** Called each time a (new) code is shown. */
  onQrCode?: (prompt: QrPrompt) => void;
  /** Cancel the wait. */
  signal?: AbortSignal;
}

/** Wait on a login page until the QR code is scanned. Throws `BrowserError` `login_timeout`. */
export async function waitForQrLogin(page: Page, o: QrLoginOptions): Promise<void> {
  const deadline = o.clock.now() + o.timeoutMs;
  const minutes = Math.max(1, Math.round(o.timeoutMs / 60_000));
  let shown: string | undefined;
  for (;;) {
    o.signal?.throwIfAborted();
    const kind = await pageKind(page, o.selectors);
    if (kind === "chat" || kind === "chats") {
      o.print("飞书网页版已登录，登录状态保存在浏览器配置目录中，下次运行无需再扫码。");
      return;
    }
    if (kind === "login") {
      const token = await qrIdentity(page, o.selectors);
      if (shown === undefined || (token !== undefined && token !== shown)) {
        shown = token ?? "";
        await show(page, o, token, minutes);
      }
    }
    if (o.clock.now() >= deadline) {
      throw new BrowserError("login_timeout", `no QR scan within ${o.timeoutMs} ms`, {
        hint: `等待扫码登录超时（${
          Math.round(o.timeoutMs / 1000)
        } 秒）：请重新运行，并在二维码有效期内用飞书 App 扫码。`,
      });
    }
    await o.clock.sleep(o.pollMs, o.signal);
  }
}

async function show(
  page: Page,
  o: QrLoginOptions,
  token: string | undefined,
  minutes: number,
): Promise<void> {
  if (!o.headless) {
    o.print(`请在弹出的浏览器窗口中用飞书 App 扫码登录（${minutes} 分钟内有效）。`);
    o.onQrCode?.({ headed: true, token });
    return;
  }
  try {
    await saveElementScreenshot(page, o.selectors.qr, o.qrSavePath, { timeoutMs: 5000, signal: o.signal });
  } catch (e) {
    if (o.signal?.aborted) throw e;
    return; // the page moved on (scanned or renewed); the loop looks again
  }
  const abs = await Deno.realPath(o.qrSavePath).catch(() => o.qrSavePath);
  o.print(
    `请用飞书 App 扫描二维码登录：${abs}（用图片查看器打开；${minutes} 分钟内有效，二维码更新时会重新保存）`,
  );
  o.onQrCode?.({ headed: false, pngPath: abs, token });
}

async function qrIdentity(page: Page, sel: MessengerSelectors): Promise<string | undefined> {
  if (!sel.qrTokenAttr) return undefined;
  try {
    return await page.$eval(sel.qr, (el, attr) => el.getAttribute(attr) ?? undefined, sel.qrTokenAttr) ??
      undefined;
  } catch {
    return undefined;
  }
}
