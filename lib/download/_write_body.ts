import { DownloadError } from "./download_error.ts";

/** Settings of {@linkcode writeBody}. */
export interface WriteSettings {
  /** Aborted when the body stalls. */
  abort: AbortController;
  /** No new byte on disk for this long aborts the transfer, ms. */
  stallTimeoutMs: number;
  /** Called with the file size while it grows (every 250 ms at most) and at the end. */
  onBytes?: (size: number) => void;
}

/** OS error codes that mean the disk, not the network, failed. */
const DISK_CODES = new Set(["ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO", "EFBIG", "EBADF"]);

/**
 * Stream `body` into `file` with `pipeTo(file.writable)`: Deno moves the bytes
 * between the two resources without a JavaScript round trip per chunk, and
 * memory stays flat (the pipe applies back-pressure). Progress and stalls are
 * watched by polling the file size, not per chunk. Resolves with the file
 * size; rejects with the network error, a stall (`TimeoutError`), or a
 * {@linkcode DownloadError} (`disk`) when writing fails. The file stays open.
 */
export async function writeBody(
  body: ReadableStream<Uint8Array>,
  file: Deno.FsFile,
  startAt: number,
  s: WriteSettings,
): Promise<number> {
  let size = startAt;
  let changedAt = performance.now();
  let finished = false;
  const poll = setInterval(async () => {
    let now: number;
    try {
      const current = (await file.stat()).size;
      now = performance.now();
      if (finished) return;
      if (current !== size) {
        size = current;
        changedAt = now;
        s.onBytes?.(size);
        return;
      }
    } catch {
      return;
    }
    if (now - changedAt > s.stallTimeoutMs) {
      s.abort.abort(new DOMException(`no data for ${s.stallTimeoutMs} ms`, "TimeoutError"));
    }
  }, Math.max(10, Math.min(250, s.stallTimeoutMs / 4)));
  try {
    await body.pipeTo(file.writable, { preventClose: true, preventAbort: true });
  } catch (e) {
    const code = (e as { code?: string } | null)?.code;
    if (code && DISK_CODES.has(code)) {
      throw new DownloadError("disk", `write failed: ${(e as Error).message}`, { cause: e });
    }
    throw e;
  } finally {
    finished = true;
    clearInterval(poll);
  }
  size = (await file.stat()).size;
  s.onBytes?.(size);
  return size;
}
