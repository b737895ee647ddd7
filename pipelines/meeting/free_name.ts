import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import { safeJoin, suffixedName } from "../../lib/fs/safe_name.ts";

/** Options of {@linkcode pickFreeName}. */
export interface PickFreeNameOptions {
  /**
   * Size of the file about to be written. An existing file of exactly this
   * size under a candidate name is taken to be ours (an earlier run of the
   * same job) and reused.
   */
  size?: number;
  /** A name this job already recorded in `dir`: reused as it is when the file is still there. */
  ownName?: string;
  /** Most characters in a suffixed name (default 120). */
  maxChars?: number;
  /** Most UTF-8 bytes in a suffixed name (default 240). */
  maxBytes?: number;
  /** Candidates tried before giving up (default 1000). */
  maxTries?: number;
}

/** The name chosen by {@linkcode pickFreeName}. */
export interface FreeName {
  /** The file name (one component). */
  name: string;
  /** `dir` joined with `name`. */
  path: string;
  /** True when a file that is ours is already there (nothing to write). */
  existing: boolean;
}

/**
 * Choose where to put `name` in `dir` without overwriting somebody else's
 * file: the job's own recorded name when it is still there, else `name`,
 * `name (2)`, `name (3)`… — the first that is free, or that holds a file of
 * exactly `size` bytes (ours from an earlier run). Never leaves `dir`.
 *
 * @example
 * ```ts
 * declare const staged: string, size: number; // the downloaded file and its size
 *
 * const { path, existing } = await pickFreeName("/nas/张三", "张三_周会_20260119_1000.mp4", { size });
 * if (!existing) await Deno.link(staged, path);
 * ```
 */
export async function pickFreeName(
  dir: string,
  name: string,
  options: PickFreeNameOptions = {},
): Promise<FreeName> {
  if (options.ownName) {
    const path = safeJoin(dir, options.ownName);
    const st = await statOrUndefined(path);
    if (st?.isFile && (options.size === undefined || st.size === options.size)) {
      return { name: options.ownName, path, existing: true };
    }
    if (!st) return { name: options.ownName, path, existing: false };
  }
  const tries = options.maxTries ?? 1000;
  for (let n = 1; n <= tries; n++) {
    const candidate = suffixedName(name, n, options.maxChars, options.maxBytes);
    const path = safeJoin(dir, candidate);
    const st = await statOrUndefined(path);
    if (!st) return { name: candidate, path, existing: false };
    if (st.isFile && options.size !== undefined && st.size === options.size) {
      return { name: candidate, path, existing: true };
    }
  }
  throw new BadRequestError(`no free name for ${name} in ${dir}`, {
    hint: `目录 ${dir} 中已有 ${tries} 个同名文件「${name}」，请清理后重试。`,
  });
}

async function statOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
