/**
 * How exported files are fetched: the bot "飞书合同" sends one "导出完成"
 * message per export, with a download button. A {@linkcode Collector} lists
 * those messages and downloads their files; the browser (puppeteer-core) and
 * Open API implementations live in `collect_browser*.ts` / `collect_openapi*.ts`.
 *
 * @module
 */

/** One "导出完成" message of the bot. */
export interface ExportNotice {
  /** Message id (stable across listings; used to never match a message twice). */
  messageId: string;
  /** Message text, e.g. `协同操作记录导出完成：2022-01-01 至 2022-01-07，共 312 条`. */
  text: string;
  /** When the message was sent, epoch ms. */
  sentAt: number;
  /** Records declared in the text (`共 N 条`), when known. */
  total?: number;
  /** The exported date range named in the text, when known. */
  range?: { start: string; end: string };
  /** True when the text says the file holds only the first rows (over 1,000). */
  truncated?: boolean;
}

/** Fetches export notices and their files. */
export interface Collector {
  /** Notices of completed exports sent at or after `since` (ms). */
  listNotices(since: number, signal?: AbortSignal): Promise<ExportNotice[]>;
  /** Download the notice's file into `dir` (written as .part then renamed); returns the path. */
  download(notice: ExportNotice, dir: string, signal?: AbortSignal): Promise<{ path: string; bytes: number }>;
  /** Release the browser / connections. */
  close(): Promise<void>;
}

/** Creates the collector when the collect stage first needs one (browser start-up is slow). */
export type CollectorFactory = (signal?: AbortSignal) => Promise<Collector>;
