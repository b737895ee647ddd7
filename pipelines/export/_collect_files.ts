/**
 * File helpers of the collectors (internal): safe file names, the xlsx signature check and the
 * `.part` → final rename.
 *
 * @module
 */
import { LarkError } from "../../lib/errors/mod.ts";
import { sanitizeFileName } from "../../lib/fs/safe_name.ts";

/** `name` without directories or characters file systems refuse; `fallback` when nothing is left. */
export function safeFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const stripped = base.replace(/^[.\s]+/, "");
  return stripped === "" ? fallback : sanitizeFileName(stripped, { fallback });
}

/** `true` when the file starts like an xlsx (a zip: `PK\x03\x04`). */
export async function looksLikeXlsx(path: string): Promise<boolean> {
  const file = await Deno.open(path, { read: true });
  try {
    const head = new Uint8Array(4);
    const n = await file.read(head);
    return n === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
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

/** Move `src` to `dest` (rename; copy + remove across file systems). */
export async function moveFile(src: string, dest: string): Promise<void> {
  try {
    await Deno.rename(src, dest);
  } catch {
    await Deno.copyFile(src, dest);
    await Deno.remove(src);
  }
}
