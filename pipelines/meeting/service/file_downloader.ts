import { downloadFile, type DownloadFileOptions } from "../../../lib/download/download_file.ts";
import type { Downloader, DownloadRequest } from "../ports.ts";

/** Options of {@linkcode FileDownloader}: `downloadFile`'s tuning knobs (its defaults apply). */
export type FileDownloaderOptions = Pick<
  DownloadFileOptions,
  | "fetch"
  | "clock"
  | "logger"
  | "maxRefreshes"
  | "maxRetries"
  | "connectTimeoutMs"
  | "stallTimeoutMs"
  | "retryDelayMs"
  | "fsync"
>;

/**
 * {@linkcode Downloader} over `lib/download`'s `downloadFile`: streams the
 * pre-signed URL into `<dest>.part` (memory stays flat), resumes with `Range`
 * after an interruption or a restart, checks the length, renames atomically,
 * and asks the worker for a new URL when the link has expired. The URL's
 * query (a credential) is never logged.
 *
 * @example
 * ```ts
 * import type { Logger } from "../../../lib/log/logger.ts";
 * import type { LarkMinutesSource } from "./minutes_source.ts";
 *
 * declare const logger: Logger, minutes: LarkMinutesSource;
 * declare const minuteToken: string, userId: string;
 * const downloader = new FileDownloader({ logger });
 * const url = await minutes.mediaUrl(minuteToken, userId);
 * await downloader.download(url, "/nas/.staging/job-1.mp4", {
 *   refreshUrl: () => minutes.mediaUrl(minuteToken, userId),
 * });
 * ```
 */
export class FileDownloader implements Downloader {
  #o: FileDownloaderOptions;

  /** Create the downloader; see {@linkcode FileDownloaderOptions}. */
  constructor(options: FileDownloaderOptions = {}) {
    this.#o = options;
  }

  /** See {@linkcode Downloader.download}. */
  async download(url: string, dest: string, request: DownloadRequest): Promise<{ bytes: number }> {
    const r = await downloadFile({
      ...this.#o,
      url,
      dest,
      refreshUrl: () => request.refreshUrl(),
      signal: request.signal,
    });
    return { bytes: r.bytes };
  }
}
