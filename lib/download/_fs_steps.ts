/** File-system helpers of `downloadFile` (not exported from the package). */
import { LarkError } from "../errors/lark_error.ts";
import { DownloadError } from "./download_error.ts";

/** Run a file-system step; its failure is a `DownloadError` (`disk`), never retried as a network error. */
export async function onDisk<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LarkError) throw e;
    throw new DownloadError("disk", `file system: ${errText(e)}`, { cause: e, retryable: false });
  }
}

/** fsync a file by path. */
export async function syncFile(path: string): Promise<void> {
  const f = await Deno.open(path, { read: true, write: true });
  try {
    await f.sync();
  } finally {
    f.close();
  }
}

/** An error's message. */
export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
