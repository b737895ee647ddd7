/**
 * Turn a `deno.json` task's permission flags into a release's (internal).
 *
 * @module
 */
import { posix } from "node:path";
import { USER_DIRS_ENV } from "../../lib/fs/user_dirs.ts";

/** Stands for the per-user folder in a flag; each launcher writes it in its own syntax. */
export const USER_DIR = "\u0000USER_DIR\u0000";

/** Where the flags are used. */
export interface AdaptOptions {
  /** The release platform. */
  os: "windows" | "linux" | "darwin";
  /**
   * `launcher`: a `.cmd`/`.sh` that knows the per-user folder at run time
   * ({@linkcode USER_DIR} is added to narrowed write lists). `compile`: a
   * `deno compile` binary, whose flags are fixed at build time, so a
   * narrowed write list becomes `--allow-write`.
   */
  mode: "launcher" | "compile";
}

function split(flag: string): [string, string | undefined] {
  const at = flag.indexOf("=");
  return at < 0 ? [flag, undefined] : [flag.slice(0, at), flag.slice(at + 1)];
}

function foreignPath(entry: string, os: AdaptOptions["os"]): boolean {
  return os === "windows" ? posix.isAbsolute(entry) : /^[a-z]:[\\/]/i.test(entry) || entry.startsWith("\\\\");
}

/**
 * The task's flags for a release build:
 * - a narrowed `--allow-write` also covers the per-user state folder (the
 *   release uses `FEISHU_KIT_DIRS=user`), or becomes unrestricted when compiled;
 * - a narrowed `--allow-env` also lists the variables that name the user folders;
 * - an `--allow-run` list naming absolute paths of another platform (such as
 *   `/usr/bin/chromium` on Windows) becomes unrestricted, since those paths do
 *   not exist there;
 * - a Windows binary may run `chcp.com` (UTF-8 console window, see lib/cli/utf8_console.ts);
 *   the `.cmd` launchers run `chcp 65001` themselves.
 * Other flags pass through unchanged.
 */
export function adaptFlags(flags: readonly string[], o: AdaptOptions): string[] {
  const out = flags.map((flag) => {
    const [name, value] = split(flag);
    if (value === undefined) return flag;
    const list = value.split(",").filter(Boolean);
    switch (name) {
      case "--allow-write":
        return o.mode === "compile" ? name : `${name}=${[...list, USER_DIR].join(",")}`;
      case "--allow-env":
        return `${name}=${[...new Set([...list, ...USER_DIRS_ENV])].join(",")}`;
      case "--allow-run": {
        if (list.some((e) => foreignPath(e, o.os))) return name;
        return o.os === "windows" && o.mode === "compile"
          ? `${name}=${[...list, "chcp.com"].join(",")}`
          : flag;
      }
      default:
        return flag;
    }
  });
  const runs = out.some((f) => f === "--allow-run" || f.startsWith("--allow-run="));
  if (o.os === "windows" && o.mode === "compile" && !runs) out.push("--allow-run=chcp.com");
  return out;
}
