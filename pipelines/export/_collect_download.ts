/**
 * One download of the browser collector (internal): show the notice, click its download
 * button, capture the file through the DevTools protocol and move it into place (`.part`,
 * checked as an xlsx, then renamed). A navigation instead of a download (the messenger
 * logged out) stops the wait at once.
 *
 * @module
 */
import type { Frame, Page } from "puppeteer-core";
import { BrowserError, type DownloadCapture } from "../../lib/browser/mod.ts";
import { moveFile, promotePart, safeFileName } from "./_collect_files.ts";
import { clickDownload, revealMessage } from "./_collect_page.ts";
import type { MessengerSelectors } from "./_collect_selectors.ts";
import type { ExportNotice } from "./collector.ts";

/** Download the file of `notice` (shown in the open bot chat) into `dir`. */
export async function captureNoticeFile(
  page: Page,
  downloads: DownloadCapture,
  sel: MessengerSelectors,
  notice: ExportNotice,
  dir: string,
  o: { chatName: string; timeoutMs: number; signal?: AbortSignal },
): Promise<{ path: string; bytes: number }> {
  if (!(await revealMessage(page, sel, notice.messageId, o.signal))) {
    throw new BrowserError("element_missing", `message ${notice.messageId} not shown`, {
      hint: `在「${o.chatName}」会话中找不到这条导出消息（${notice.text}）：消息可能已被撤回。`,
    });
  }
  // A logged-out messenger turns the click into a trip to the login page: stop waiting then.
  const away = new AbortController();
  const onNavigate = (frame: Frame) => {
    if (frame !== page.mainFrame()) return;
    away.abort(
      new BrowserError("download_failed", "page navigated instead of downloading", {
        hint: "点击下载后页面跳转了（登录可能已失效）。",
      }),
    );
  };
  page.on("framenavigated", onNavigate);
  try {
    const file = await downloads.capture(async () => {
      if (!(await clickDownload(page, sel, notice.messageId))) {
        throw new BrowserError("element_missing", `no download button in ${notice.messageId}`, {
          hint:
            `这条导出消息里没有「${sel.downloadText}」按钮：页面可能已改版，请覆盖 downloadButton 选择器。`,
        });
      }
    }, {
      timeoutMs: o.timeoutMs,
      signal: o.signal ? AbortSignal.any([o.signal, away.signal]) : away.signal,
    });
    const name = safeFileName(file.suggestedFilename, `${notice.messageId}.xlsx`);
    const final = `${dir}/${name}`;
    await moveFile(file.path, `${final}.part`);
    return await promotePart(`${final}.part`, final);
  } finally {
    page.off("framenavigated", onNavigate);
  }
}
