/**
 * Where a job's files go (internal): the job folder (upstream's naming rule,
 * `_<jobId>` when taken, an interrupted URL-mode job of the same name
 * continued in place) and each file's target inside it (the project's
 * sanitiser, a free name on collision, real path containment).
 *
 * @module
 */
import { join, sep } from "node:path";
import { containedPath, firstFreeName, joinSegments, safeSegments } from "../../lib/fs/mod.ts";
import type { JobRow, JobStore } from "./job_store.ts";
import type { JobConfig, LinkItem } from "./protocol.ts";

/** Upstream's job folder rule: Unicode letters/digits plus `-` and `_`, ends trimmed of `-_`. */
export function folderName(name: string): string {
  return name.normalize("NFC").replace(/[^\p{L}\p{N}_-]/gu, "").replace(/^[-_]+|[-_]+$/g, "").slice(0, 80);
}

/** The folder of a new job, and the interrupted job it continues, if any (the caller marks it `resumed`). */
export async function jobFolder(
  config: JobConfig,
  store: JobStore,
  output: string,
): Promise<{ dir: string; earlier?: JobRow }> {
  await Deno.mkdir(output, { recursive: true });
  const name = folderName(config.name) || `download_${folderName(config.jobId) || "job"}`;
  const earlier = config.mode === "url" ? store.interruptedUrlJob(name) : undefined;
  if (earlier && await exists(earlier.dir)) {
    return { dir: earlier.dir, earlier };
  }
  let dir = await containedPath(output, [name]);
  if (await exists(dir)) {
    dir = await containedPath(output, [`${name}_${folderName(config.jobId) || Date.now()}`]);
  }
  return { dir };
}

/**
 * A free target for `item` in `dir`, relative and `/`-separated: taken when
 * another file of the job has it (`used`, lower case: Windows and macOS do
 * not tell case apart) or a file or `.part` is on disk.
 */
export async function freeTarget(dir: string, item: LinkItem, used: ReadonlySet<string>): Promise<string> {
  const segments = safeSegments(item.path, item.name);
  const folder = segments.slice(0, -1);
  const last = await firstFreeName(segments[segments.length - 1], async (candidate) => {
    const r = joinSegments([...folder, candidate]);
    if (used.has(r.toLowerCase())) return true;
    const path = join(dir, ...r.split("/"));
    return await exists(path) || await exists(`${path}.part`);
  });
  return joinSegments([...folder, last]);
}

/** The absolute path of `rel` in `dir`, proven to stay inside it. */
export function targetPath(dir: string, rel: string): Promise<string> {
  return containedPath(dir, rel.split("/"));
}

/** A `/`-separated relative path with the OS's separators (as upstream reports it). */
export function osPath(rel: string): string {
  return rel.split("/").join(sep);
}

/** The key matching a file of an earlier run of the same job. */
export function identity(item: LinkItem): string {
  return JSON.stringify([item.path, item.name]);
}

/** Whether anything exists at `path` (symlinks not followed). */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
