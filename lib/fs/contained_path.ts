import { join, resolve, sep } from "node:path";
import { BadRequestError } from "../errors/bad_request_error.ts";
import { sanitizeFileName, type SanitizeOptions } from "./safe_name.ts";
import { isInside } from "./user_dirs.ts";

/**
 * Turn a relative folder (`A/B/`, `A\B`, possibly hostile: `../../etc`, `C:\x`,
 * `CON/`) plus a file name into safe path segments: both separators split,
 * empty and `.` segments dropped, and every segment — the name last — made
 * safe by {@linkcode sanitizeFileName} (so `..` can never survive as a
 * segment). Folder segments fall back to `fallbackFolder`.
 *
 * @example
 * ```ts
 * safeSegments("../合同/CON/", "a:b.pdf"); // ["__", "合同", "CON_", "a_b.pdf"]
 * ```
 */
export function safeSegments(
  folder: string | null | undefined,
  name: string,
  options: SanitizeOptions & { fallbackFolder?: string } = {},
): string[] {
  const parts = (folder ?? "").split(/[\\/]+/).map((p) => p.trim()).filter((p) => p !== "" && p !== ".");
  const out = parts.map((p) => sanitizeFileName(p, { ...options, fallback: options.fallbackFolder ?? "_" }));
  out.push(sanitizeFileName(name, options));
  return out;
}

/**
 * Join `root` and `segments` and prove the result stays inside `root`: by path
 * arithmetic (`path.relative`, not a string prefix, so `/out/job2` is not
 * "inside" `/out/job`) and on disk (the deepest existing ancestor, symlinks
 * resolved, must be `root`'s real path or below it). Throws
 * {@linkcode BadRequestError} otherwise.
 */
export async function containedPath(root: string, segments: readonly string[]): Promise<string> {
  const base = resolve(root);
  const full = resolve(base, ...segments);
  if (!isInside(base, full) || full === base) throw escape(segments, root);
  const realRoot = await Deno.realPath(base).catch(() => base);
  let probe = full;
  for (;;) {
    try {
      const real = await Deno.realPath(probe);
      if (!isInside(realRoot, real) && real !== realRoot) throw escape(segments, root);
      break;
    } catch (e) {
      if (e instanceof BadRequestError) throw e;
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      const parent = resolve(probe, "..");
      if (parent === probe || !isInside(base, parent) && parent !== base) break;
      probe = parent;
    }
  }
  return full;
}

/** `segments` joined with `/` (for records and acks). */
export function joinSegments(segments: readonly string[]): string {
  return join(...segments).split(sep).join("/");
}

function escape(segments: readonly string[], root: string): BadRequestError {
  return new BadRequestError(`path escapes ${root}: ${JSON.stringify(segments)}`, {
    hint: `文件路径「${segments.join("/")}」会落到目录 ${root} 之外，已拒绝写入。`,
  });
}
