import { statfs } from "node:fs/promises";

/** Free bytes available to this user on the file system holding a path, or `undefined` when unknown. */
export type FreeBytesFn = (path: string) => Promise<number | undefined>;

/**
 * Free bytes on the file system holding `path` (what an unprivileged user
 * may write: `f_bavail × f_bsize`).
 *
 * Deno 2.9 has no `Deno.statfs`; this uses `node:fs/promises` `statfs`, which
 * needs `--allow-sys=statfs`. Without that permission it falls back to
 * `df -Pk` (needs `--allow-run=df`), and resolves `undefined` when neither is
 * allowed or available — callers then skip the check and say so in the log.
 */
export async function freeBytes(path: string): Promise<number | undefined> {
  try {
    const s = await statfs(path);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    // No --allow-sys, or an unsupported platform: try df.
  }
  try {
    const out = await new Deno.Command("df", { args: ["-Pk", path], stdout: "piped", stderr: "null" })
      .output();
    if (!out.success) return undefined;
    const last = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
    const kb = Number(last.split(/\s+/)[3]);
    return Number.isFinite(kb) ? kb * 1024 : undefined;
  } catch {
    return undefined;
  }
}
