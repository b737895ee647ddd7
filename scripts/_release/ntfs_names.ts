/**
 * Check a folder's file names before it is zipped for Windows (internal).
 *
 * @module
 */

// deno-lint-ignore no-control-regex
const ILLEGAL = /[<>:"|?*\u0000-\u001f]/;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** A name Windows cannot create or tell apart. */
export interface NtfsProblem {
  /** Path relative to the folder, with `/`. */
  path: string;
  /** Chinese reason. */
  reason: string;
}

/**
 * Names that cannot exist on NTFS (characters `<>:"|?*` and control
 * characters, reserved device names such as `CON` or `aux.js`, a trailing dot
 * or space) and names in one folder that differ only by case (Windows would
 * overwrite one with the other when unzipping).
 */
export function ntfsProblems(paths: readonly string[]): NtfsProblem[] {
  const out: NtfsProblem[] = [];
  const seen = new Map<string, string>();
  for (const path of paths) {
    const parts = path.split("/");
    const name = parts[parts.length - 1];
    if (ILLEGAL.test(name)) out.push({ path, reason: "含 Windows 不允许的字符" });
    else if (RESERVED.test(name)) out.push({ path, reason: "是 Windows 保留名称" });
    else if (/[. ]$/.test(name)) out.push({ path, reason: "以点或空格结尾" });
    const key = path.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined && other !== path) out.push({ path, reason: `与 ${other} 仅大小写不同` });
    else seen.set(key, path);
  }
  return out;
}

/** Every file and folder below `dir`, relative, with `/`. */
export async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    out.push(rel);
    if (e.isDirectory) out.push(...await listTree(`${dir}/${e.name}`, rel));
  }
  return out;
}
