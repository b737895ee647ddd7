/**
 * File helpers of the collectors (internal): safe file names, the xlsx signature check, the
 * `.part` → final rename, moving a file into place and telling a bad file from a broken collector.
 *
 * @module
 */
import { sha256File } from "../../lib/encoding/sha256_file.ts";
import { BrowserError } from "../../lib/browser/browser_error.ts";
import { LarkError } from "../../lib/errors/mod.ts";
import { sanitizeFileName } from "../../lib/fs/safe_name.ts";

/** `name` without directories or characters file systems refuse; `fallback` when nothing is left. */
export function safeFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const stripped = base.replace(/^[.\s]+/, "");
  return stripped === "" ? fallback : sanitizeFileName(stripped, { fallback });
}

/** `true` when `bytes` start like an xlsx (a zip: `PK\x03\x04`). */
export function hasXlsxSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 &&
    bytes[3] === 0x04;
}

/** `true` when the file starts like an xlsx (a zip: `PK\x03\x04`). */
export async function looksLikeXlsx(path: string): Promise<boolean> {
  const file = await Deno.open(path, { read: true });
  try {
    const head = new Uint8Array(4);
    const n = await file.read(head);
    return n === 4 && hasXlsxSignature(head);
  } finally {
    file.close();
  }
}

/**
 * Check that `part` (a finished `<final>.part` file) is an xlsx and rename it
 * to `final`. A bad file is removed and reported as a retryable
 * {@linkcode LarkError}.
 */
export async function promotePart(part: string, final: string): Promise<{ path: string; bytes: number }> {
  if (!(await looksLikeXlsx(part))) {
    await Deno.remove(part).catch(() => {});
    throw new LarkError("downloaded file is not an xlsx", {
      retryable: true,
      hint: "下载的文件不是有效的 xlsx（可能下载到了登录页或错误页）：请确认登录状态后重试。",
    });
  }
  await Deno.rename(part, final);
  const info = await Deno.stat(final);
  return { path: final, bytes: info.size };
}

/** Move `src` to `dest` (rename; copy + remove across file systems). A missing `src` throws `NotFound`. */
export async function moveFile(src: string, dest: string): Promise<void> {
  try {
    await Deno.rename(src, dest);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw e;
    await Deno.copyFile(src, dest);
    await Deno.remove(src);
  }
}

/** Whether `path` holds a file other than the one with this SHA-256 (a missing file is free). */
export async function isTakenByOther(path: string, sha256: string): Promise<boolean> {
  try {
    return (await sha256File(path)) !== sha256;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Whether a download failure is about this file (retry it) rather than the collector (pause). */
export function isFileProblem(e: unknown): boolean {
  // A Worker refused something outside its grants: a setup problem, not this file's.
  if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) return false;
  if (e instanceof BrowserError) return e.reason === "download_failed" || e.reason === "timeout";
  if (e instanceof LarkError) return !["session", "auth", "config", "permission"].includes(e.kind);
  return true;
}
