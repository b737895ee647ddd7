/**
 * {@linkcode DownloadCapture}: catch the file a click downloads, through
 * the DevTools protocol: `Browser.setDownloadBehavior` (`allowAndName`,
 * events on) sends every download of the browser into one directory under
 * its GUID, `Browser.downloadWillBegin` names it and `Browser.downloadProgress`
 * says when it is complete (or cancelled).
 *
 * @module
 */
import type { Browser, CDPSession } from "puppeteer-core";
import { BrowserError } from "./browser_error.ts";

/** A finished download. */
export interface CapturedDownload {
  /** Where Chromium wrote it (`<dir>/<guid>`). */
  path: string;
  /** File name the server suggested (Content-Disposition), or the URL's last segment. */
  suggestedFilename: string;
  /** URL it came from. */
  url: string;
  /** Size, bytes. */
  bytes: number;
}

/** Options of {@linkcode DownloadCapture.capture}. */
export interface CaptureOptions {
  /** Time allowed for the download to start, ms (default 15 000). */
  startTimeoutMs?: number;
  /** Time allowed for the whole download, ms (default 120 000). */
  timeoutMs?: number;
  /** Cancel the wait (the download is cancelled too). */
  signal?: AbortSignal;
}

interface Begin {
  guid: string;
  url: string;
  suggestedFilename: string;
}

interface Waiter {
  begin: (e: Begin) => void;
}

interface Progress {
  guid: string;
  state: "inProgress" | "completed" | "canceled";
  receivedBytes: number;
  filePath?: string;
}

/**
 * Routes the browser's downloads into `dir` and hands each one to the
 * {@linkcode DownloadCapture.capture} call whose trigger started it. Captures
 * run one at a time (a download is attributed to the pending capture).
 */
export class DownloadCapture {
  /** Directory Chromium writes into. */
  readonly dir: string;
  readonly #session: CDPSession;
  #waiter: Waiter | undefined;
  readonly #progress = new Map<string, (p: Progress) => void>();
  /** Finished downloads whose event came before anyone waited for it (small files finish at once). */
  readonly #finished = new Map<string, Progress>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(session: CDPSession, dir: string) {
    this.#session = session;
    this.dir = dir;
    session.on("Browser.downloadWillBegin", (e) => this.#waiter?.begin(e));
    session.on("Browser.downloadProgress", (e) => {
      const p = e as Progress;
      const listener = this.#progress.get(p.guid);
      if (listener) listener(p);
      else if (p.state !== "inProgress") this.#finished.set(p.guid, p);
    });
  }

  /** Send every download of `browser` into `dir` (created when missing). */
  static async attach(browser: Browser, dir: string): Promise<DownloadCapture> {
    await Deno.mkdir(dir, { recursive: true });
    const session = await browser.target().createCDPSession();
    await session.send("Browser.setDownloadBehavior", {
      behavior: "allowAndName",
      downloadPath: await Deno.realPath(dir),
      eventsEnabled: true,
    });
    return new DownloadCapture(session, dir);
  }

  /**
   * Run `trigger` (e.g. a click) and wait for the download it starts to
   * complete. Throws {@linkcode BrowserError} `download_failed` when it does
   * not start, is cancelled or takes too long.
   */
  capture(trigger: () => Promise<unknown>, options: CaptureOptions = {}): Promise<CapturedDownload> {
    const run = this.#queue.then(() => this.#capture(trigger, options));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Stop listening (downloads then follow Chromium's defaults). */
  async detach(): Promise<void> {
    await this.#session.detach().catch(() => {});
  }

  async #capture(trigger: () => Promise<unknown>, options: CaptureOptions): Promise<CapturedDownload> {
    options.signal?.throwIfAborted();
    let guid: string | undefined;
    const local = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, local.signal]) : local.signal;
    try {
      const begun = wait<Begin>(
        (resolve) => {
          this.#waiter = { begin: resolve };
        },
        options.startTimeoutMs ?? 15_000,
        signal,
        () =>
          failure(
            "download did not start",
            "点击下载后浏览器没有开始下载：登录可能已失效，或下载按钮已改版。",
          ),
      );
      await Promise.all([trigger(), begun]);
      const begin = await begun;
      guid = begin.guid;
      const done = await wait<Progress>(
        (resolve) => {
          const early = this.#finished.get(begin.guid);
          if (early) return resolve(early);
          this.#progress.set(begin.guid, (p) => {
            if (p.state !== "inProgress") resolve(p);
          });
        },
        options.timeoutMs ?? 120_000,
        signal,
        () => failure("download timed out", "下载超时：请检查网络后重试。"),
      );
      if (done.state !== "completed") throw failure("download cancelled", "下载被取消或失败：请重试。");
      const path = done.filePath ?? `${this.dir}/${begin.guid}`;
      const info = await Deno.stat(path);
      return { path, suggestedFilename: begin.suggestedFilename, url: begin.url, bytes: info.size };
    } catch (e) {
      if (guid !== undefined) await this.#session.send("Browser.cancelDownload", { guid }).catch(() => {});
      throw e;
    } finally {
      local.abort();
      this.#waiter = undefined;
      if (guid !== undefined) {
        this.#progress.delete(guid);
        this.#finished.delete(guid);
      }
    }
  }
}

function failure(message: string, hint: string): BrowserError {
  return new BrowserError("download_failed", message, { hint });
}

/** Wait for `register` to resolve, at most `ms`; `onTimeout` makes the error; the signal aborts. */
function wait<T>(
  register: (resolve: (v: T) => void) => void,
  ms: number,
  signal: AbortSignal | undefined,
  onTimeout: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => finish(() => reject(signal!.reason));
    const timer = setTimeout(() => finish(() => reject(onTimeout())), ms);
    const finish = (f: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      f();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    register((v) => finish(() => resolve(v)));
  });
}
