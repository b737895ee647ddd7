/**
 * {@linkcode BrowserCollector}: the collect stage through the Feishu web
 * messenger, driven by puppeteer-core in a Chromium-family browser (found by
 * lib/browser findBrowser). It opens the messenger with a persistent profile (so the QR login is needed once),
 * shows the QR code when logged out (window when headed, PNG when headless)
 * and waits for the scan, opens the 飞书合同 chat, reads the "导出完成"
 * notices and clicks their 下载文件 button, capturing the file through the
 * DevTools protocol and renaming it from `.part` into the target directory.
 *
 * The default selectors match the sandbox's messenger; the real messenger's
 * DOM differs and must be configured (`messenger.selectors`).
 *
 * @module
 */
import type { Page } from "puppeteer-core";
import {
  BrowserError,
  DownloadCapture,
  type FoundBrowser,
  launchBrowser,
  type LaunchedBrowser,
} from "../../lib/browser/mod.ts";
import { type Clock, systemClock } from "../../lib/time/mod.ts";
import { captureNoticeFile } from "./_collect_download.ts";
import { type QrPrompt, waitForQrLogin } from "./_collect_login.ts";
import { NOTICE_PATTERN, toNotice } from "./_collect_notice.ts";
import { chatTitled, clickChat, contextLost, loadOlder, pageKind, readMessages } from "./_collect_page.ts";
import { type MessengerSelectors, resolveSelectors } from "./_collect_selectors.ts";
import type { Collector, ExportNotice } from "./collector.ts";

export type { QrPrompt } from "./_collect_login.ts";

/** Options of {@linkcode BrowserCollector}. */
export interface BrowserCollectorOptions {
  /** Messenger URL, e.g. `https://www.feishu.cn/messenger/` or `http://127.0.0.1:18080/messenger/`. */
  messengerUrl: string;
  /** Chromium profile directory; keeps the login between runs (required). */
  profileDir: string;
  /** Name of the bot chat (default `飞书合同`). */
  chatName?: string;
  /** Run the browser without a window (default: a window on a desktop, headless elsewhere). */
  headless?: boolean;
  /** Browser executable (default: found by `findBrowser` in lib/browser). */
  executablePath?: string;
  /** The browser `findBrowser` found (no discovery then; the collect Worker gets it from the main thread). */
  browser?: FoundBrowser;
  /** Where to save the QR code when headless (default `output/export/login_qr.png`). */
  qrSavePath?: string;
  /** Time allowed for the QR scan, ms (default 300 000). */
  loginTimeoutMs?: number;
  /** Time allowed for a page to load, ms (default 30 000). */
  navigationTimeoutMs?: number;
  /** Time allowed for one download, ms (default 120 000). */
  downloadTimeoutMs?: number;
  /** Selector overrides (camelCase or snake_case keys; see `MessengerSelectors`). */
  selectors?: Record<string, string>;
  /** What makes a message a notice (default `/导出完成/`). */
  noticePattern?: RegExp;
  /** Prints Chinese lines for the person (default `console.log`). */
  print?: (line: string) => void;
  /** Called each time a QR code is shown (tests use it to scan). */
  onQrCode?: (prompt: QrPrompt) => void;
  /** Time source (default real time). */
  clock?: Clock;
  /** Closes the collector when aborted. */
  signal?: AbortSignal;
}

/** A {@linkcode Collector} over the Feishu web messenger in Chromium. */
export class BrowserCollector implements Collector {
  readonly #o:
    & Required<
      Omit<
        BrowserCollectorOptions,
        "onQrCode" | "signal" | "selectors" | "headless" | "executablePath" | "browser"
      >
    >
    & BrowserCollectorOptions;
  readonly #sel: MessengerSelectors;
  #started: Promise<{ chromium: LaunchedBrowser; page: Page; downloads: DownloadCapture }> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #downloadDir: string | undefined;
  readonly #firstSeen = new Map<string, number>();
  #closed = false;

  /** Create the collector; Chromium starts on first use. Throws `ConfigError` for unknown selectors. */
  constructor(options: BrowserCollectorOptions) {
    this.#o = {
      chatName: "飞书合同",
      qrSavePath: "output/export/login_qr.png",
      loginTimeoutMs: 300_000,
      navigationTimeoutMs: 30_000,
      downloadTimeoutMs: 120_000,
      noticePattern: NOTICE_PATTERN,
      print: (line) => console.log(line),
      clock: systemClock,
      ...options,
    };
    this.#sel = resolveSelectors(options.selectors);
    options.signal?.addEventListener("abort", () => void this.close(), { once: true });
  }

  /**
   * Make sure Chromium runs, the messenger is logged in (waiting for a scan if
   * needed) and the bot chat is open.
   */
  ready(signal?: AbortSignal): Promise<void> {
    return this.#exclusive(async () => void await this.#openChat(signal));
  }

  /** Notices sent at or after `since` (epoch ms), oldest first. */
  listNotices(since: number, signal?: AbortSignal): Promise<ExportNotice[]> {
    return this.#exclusive(() =>
      this.#onChat(signal, true, async (page) => {
        let messages = await readMessages(page, this.#sel);
        // Older messages sit behind "load more": go back until `since` is covered.
        while (messages.length > 0 && (this.#timeOf(messages[0]) ?? 0) >= since) {
          signal?.throwIfAborted();
          if (!(await loadOlder(page, this.#sel))) break;
          messages = await readMessages(page, this.#sel);
        }
        const notices: ExportNotice[] = [];
        for (const m of messages) {
          const sentAt = this.#timeOf(m)!;
          if (!m.id || sentAt < since) continue;
          const notice = toNotice(m.id, m.text, sentAt, this.#o.noticePattern);
          if (notice) notices.push(notice);
        }
        return notices.sort((a, b) => a.sentAt - b.sentAt);
      })
    );
  }

  /** Click the notice's download button and save the file into `dir` (`.part`, then renamed). */
  download(
    notice: ExportNotice,
    dir: string,
    signal?: AbortSignal,
  ): Promise<{ path: string; bytes: number }> {
    return this.#exclusive(async () => {
      await Deno.mkdir(dir, { recursive: true });
      return await this.#onChat(signal, false, async (page) => {
        const { downloads } = await this.#started!;
        return await captureNoticeFile(page, downloads, this.#sel, notice, dir, {
          chatName: this.#o.chatName,
          timeoutMs: this.#o.downloadTimeoutMs,
          signal,
        });
      });
    });
  }

  /** Close Chromium. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    const started = this.#started;
    this.#started = undefined;
    if (!started) return;
    const s = await started.catch(() => undefined);
    if (!s) return;
    await s.downloads.detach();
    await s.chromium.close();
    if (this.#downloadDir) await Deno.remove(this.#downloadDir, { recursive: true }).catch(() => {});
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed) {
        throw new BrowserError("launch_failed", "collector closed", { hint: "浏览器已关闭。" });
      }
      return fn();
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  #start() {
    this.#started ??= (async () => {
      const chromium = await launchBrowser({
        executablePath: this.#o.executablePath,
        browser: this.#o.browser,
        profileDir: this.#o.profileDir,
        headless: this.#o.headless,
      });
      try {
        const page = await chromium.page();
        page.setDefaultNavigationTimeout(this.#o.navigationTimeoutMs);
        page.setDefaultTimeout(this.#o.navigationTimeoutMs);
        // Chromium writes downloads here (inside the profile); each is then moved into the target dir.
        this.#downloadDir = `${this.#o.profileDir}/.feishu-kit-downloads`;
        const downloads = await DownloadCapture.attach(chromium.browser, this.#downloadDir);
        return { chromium, page, downloads };
      } catch (e) {
        await chromium.close();
        throw e;
      }
    })();
    this.#started.catch(() => (this.#started = undefined));
    return this.#started;
  }

  /** Logged in, on the bot chat with its messages loaded. */
  async #openChat(signal?: AbortSignal): Promise<Page> {
    const { chromium, page } = await this.#start();
    for (let step = 0; step < 6; step++) {
      signal?.throwIfAborted();
      const kind = await this.#settle(page);
      if (kind === "chat" && (await chatTitled(page, this.#sel, this.#o.chatName))) return page;
      if (kind === "login") {
        await waitForQrLogin(page, {
          selectors: this.#sel,
          headless: chromium.headless,
          qrSavePath: this.#o.qrSavePath,
          timeoutMs: this.#o.loginTimeoutMs,
          pollMs: 500,
          clock: this.#o.clock,
          print: this.#o.print,
          onQrCode: this.#o.onQrCode,
          signal,
        });
        continue;
      }
      if (kind === "chats") {
        if (!(await clickChat(page, this.#sel, this.#o.chatName))) {
          throw new BrowserError("element_missing", `chat ${this.#o.chatName} not listed`, {
            hint:
              `会话列表里没有「${this.#o.chatName}」：请确认已在飞书中与该机器人有过会话，或检查 bot_chat_name 与选择器配置。`,
          });
        }
        await page.waitForSelector(this.#sel.messageList).catch(() => {});
        continue;
      }
      await this.#goto(page, this.#o.messengerUrl);
    }
    throw new BrowserError("navigation_failed", "could not open the bot chat", {
      hint: `无法打开「${this.#o.chatName}」会话：请检查 messenger.url 与选择器配置。`,
    });
  }

  /**
   * Run `fn` on the open bot chat. When the page leaves the chat meanwhile
   * (the messenger logged out and went to the QR page), log in and run it
   * again, at most 3 times. With `whole`, a result is only kept when the page
   * is still on the chat afterwards (a listing cut short by a navigation is redone).
   */
  async #onChat<T>(
    signal: AbortSignal | undefined,
    whole: boolean,
    fn: (page: Page) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1;; attempt++) {
      const page = await this.#openChat(signal);
      let out: T;
      try {
        out = await fn(page);
      } catch (e) {
        const moved = !signal?.aborted && attempt < 3 &&
          (contextLost(e) || (await this.#settle(page)) !== "chat");
        if (!moved) throw e;
        continue;
      }
      if (!whole || attempt >= 3 || (await this.#settle(page)) === "chat") return out;
    }
  }

  /** Wait briefly for the page to show something we know. */
  async #settle(page: Page) {
    if (page.url() === "about:blank") return "unknown" as const;
    const deadline = this.#o.clock.now() + 5000;
    for (;;) {
      const kind = await pageKind(page, this.#sel);
      if (kind !== "unknown" || this.#o.clock.now() >= deadline) return kind;
      await this.#o.clock.sleep(100);
    }
  }

  async #goto(page: Page, url: string): Promise<void> {
    try {
      await page.goto(url, { waitUntil: "domcontentloaded" });
    } catch (e) {
      throw new BrowserError("navigation_failed", (e as Error).message, {
        cause: e,
        hint: `无法打开飞书网页版（${url}）：请检查网络与 messenger.url 配置。`,
      });
    }
  }

  #timeOf(m: { id: string; time: number | null }): number | undefined {
    if (m.time !== null) return m.time;
    if (!this.#firstSeen.has(m.id)) this.#firstSeen.set(m.id, this.#o.clock.now());
    return this.#firstSeen.get(m.id);
  }
}
