import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { pickFreeName } from "./free_name.ts";
import { freeBytes as defaultFreeBytes, type FreeBytesFn } from "./free_space.ts";
import { NasError } from "./nas_error.ts";
import { safeJoin, sanitizeFileName } from "../../lib/fs/safe_name.ts";

/** A user as the NAS layout needs them. */
export interface NasUser {
  /** Tenant user id. */
  userId: string;
  /** Display name (`{姓名}`). */
  name: string;
  /** Departments (several are possible); each gets a team copy. */
  departments: readonly { id: string; name: string }[];
}

/** Where the personal folder's name comes from. */
export type PersonalFolderMode = "user_id" | "name";

/** The NAS layout: root, personal folder rule, team folder. */
export interface NasLayout {
  /** NAS root folder. */
  nasRoot: string;
  /** Personal folder named by user id or by name (default `"user_id"`). */
  personalFolder?: PersonalFolderMode;
  /** User id → folder (relative to the root, `/` allowed); overrides {@linkcode personalFolder}. */
  mapping?: ReadonlyMap<string, string>;
  /** Team folder under the root (default `@team`). */
  teamFolder?: string;
  /** Put a copy in each department's team folder (default true). */
  teamCopies?: boolean;
}

/** Options of {@linkcode distributeRecording}. */
export interface DistributeOptions extends NasLayout {
  /** Name this job already recorded for its personal file (reused when still there). */
  ownName?: string;
  /** Bytes that must stay free on a file system after a copy (default 1 GiB). */
  reserveBytes?: number;
  /** Hard link (default `Deno.link`); tests inject one that throws `EXDEV`. */
  link?: (from: string, to: string) => Promise<void>;
  /** Free-space probe (default {@linkcode defaultFreeBytes}); `undefined` skips the check. */
  freeBytes?: FreeBytesFn;
  /** Most characters / UTF-8 bytes in names (defaults 120 / 240). */
  maxChars?: number;
  /** See {@linkcode maxChars}. */
  maxBytes?: number;
  /** Stops between files (a copy in progress finishes). */
  signal?: AbortSignal;
  /** Logger. */
  logger?: Logger;
}

/** How a path was written. */
export type DistributionMethod = "link" | "copy" | "skip";

/** One file the distribution wrote (or found already there). */
export interface DistributedPath {
  /** Full path. */
  path: string;
  /** Personal folder or a department's team folder. */
  kind: "personal" | "team";
  /** Department name (team copies). */
  department?: string;
  /** Hard link, copy (`.part` then rename), or skipped because the same-size file is there. */
  method: DistributionMethod;
}

/** Result of {@linkcode distributeRecording}. */
export interface DistributionResult {
  /** The personal file's name (record it on the job for re-runs). */
  fileName: string;
  /** File size. */
  bytes: number;
  /** The personal file. */
  personal: DistributedPath;
  /** Every path, personal first. */
  paths: DistributedPath[];
}

/**
 * The personal folder of `user`: mapping, else `{root}/{user_id}` or `{root}/{姓名}`.
 * A first folder that would be the team folder (a user named `@team`, any case)
 * gets the user id appended, so a personal folder never lands on the team root.
 */
export function personalDir(user: NasUser, layout: NasLayout): string {
  const mapped = layout.mapping?.get(user.userId);
  const parts = mapped ? mapped.split(/[\\/]+/).filter((p) => p.trim()).map((p) => sanitizeFileName(p)) : [];
  if (!parts.length) {
    const raw = (layout.personalFolder ?? "user_id") === "name" ? user.name || user.userId : user.userId;
    parts.push(sanitizeFileName(raw, { fallback: user.userId || "unknown" }));
  }
  if (sameFolder(parts[0], teamFolderName(layout))) {
    parts[0] = sanitizeFileName(`${parts[0]}_${user.userId || "user"}`);
  }
  return parts.reduce((dir, p) => safeJoin(dir, p), layout.nasRoot);
}

/** The team folder's name under the root (sanitized `teamFolder`, default `@team`). */
function teamFolderName(layout: NasLayout): string {
  return sanitizeFileName(layout.teamFolder ?? "@team");
}

/** Folder names that NAS shares (often case-insensitive, SMB) would treat as one. */
function sameFolder(a: string, b: string): boolean {
  return a.normalize("NFC").toLowerCase() === b.normalize("NFC").toLowerCase();
}

/** `{root}/@team/{部门名称}` for each of `user`'s departments (names sanitized, duplicates merged). */
export function teamDirs(user: NasUser, layout: NasLayout): { department: string; dir: string }[] {
  if (layout.teamCopies === false) return [];
  const team = safeJoin(layout.nasRoot, teamFolderName(layout));
  const seen = new Set<string>();
  const out: { department: string; dir: string }[] = [];
  for (const d of user.departments) {
    if (!d.name.trim()) continue;
    const folder = sanitizeFileName(d.name);
    if (seen.has(folder)) continue;
    seen.add(folder);
    out.push({ department: d.name, dir: safeJoin(team, folder) });
  }
  return out;
}

interface Target {
  kind: "personal" | "team";
  department?: string;
  dir: string;
}

/**
 * File a downloaded recording for a user: `source` goes to the personal
 * folder (see {@linkcode personalDir}) and to `{root}/@team/{部门名称}/` for
 * each department. Each target is a hard link when on the same file system,
 * otherwise a copy written as `.part`, size-checked, then renamed. Free space
 * is checked for every file system that needs a copy before anything is
 * written. Idempotent: a same-size file already under the chosen name is
 * skipped; another file under that name gets a ` (2)` suffix. `source` is
 * left in place (the caller removes it).
 */
export async function distributeRecording(
  source: string,
  fileName: string,
  user: NasUser,
  options: DistributeOptions,
): Promise<DistributionResult> {
  const log = options.logger ?? silentLogger;
  const link = options.link ?? ((a: string, b: string) => Deno.link(a, b));
  const probe = options.freeBytes ?? defaultFreeBytes;
  const reserve = options.reserveBytes ?? 1024 ** 3;
  const src = await Deno.stat(source);
  const bytes = src.size;
  const targets: Target[] = [
    { kind: "personal", dir: personalDir(user, options) },
    ...teamDirs(user, options).map((t) => ({ kind: "team" as const, department: t.department, dir: t.dir })),
  ];
  const names = { maxChars: options.maxChars, maxBytes: options.maxBytes, size: bytes };
  const planned: { target: Target; path: string; name: string; existing: boolean }[] = [];
  const copyBytes = new Map<number, { dir: string; bytes: number }>();
  for (const target of targets) {
    await Deno.mkdir(target.dir, { recursive: true });
    const own = target.kind === "personal" ? options.ownName : undefined;
    // Team copies take the personal file's final name (which may carry a suffix).
    const desired = target.kind === "personal" ? fileName : planned[0].name;
    const free = await pickFreeName(target.dir, desired, { ...names, ownName: own });
    planned.push({ target, path: free.path, name: free.name, existing: free.existing });
    const dev = (await Deno.stat(target.dir)).dev;
    if (!free.existing && dev !== src.dev) {
      const acc = copyBytes.get(dev) ?? { dir: target.dir, bytes: 0 };
      acc.bytes += bytes;
      copyBytes.set(dev, acc);
    }
  }
  for (const { dir, bytes: need } of copyBytes.values()) await ensureSpace(dir, need, reserve, probe, log);
  const paths: DistributedPath[] = [];
  let linkFrom = source;
  for (const p of planned) {
    options.signal?.throwIfAborted();
    let method: DistributionMethod = "skip";
    if (!p.existing) {
      method = await linkOrCopy(linkFrom, p.path, bytes, link, async (dir) => {
        await ensureSpace(dir, bytes, reserve, probe, log);
      });
    }
    paths.push({ path: p.path, kind: p.target.kind, department: p.target.department, method });
    log.info("nas.filed", { path: p.path, kind: p.target.kind, method, bytes });
    if (p.target.kind === "personal") linkFrom = p.path;
  }
  return { fileName: planned[0].name, bytes, personal: paths[0], paths };
}

const NO_LINK = new Set(["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK", "ENOSYS"]);

async function linkOrCopy(
  from: string,
  to: string,
  bytes: number,
  link: (a: string, b: string) => Promise<void>,
  beforeCopy: (dir: string) => Promise<void>,
): Promise<DistributionMethod> {
  try {
    await link(from, to);
    return "link";
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      const st = await Deno.stat(to);
      if (st.size === bytes) return "skip";
      throw e;
    }
    const code = (e as { code?: string }).code ?? "";
    if (!NO_LINK.has(code) && !(e instanceof Deno.errors.PermissionDenied)) throw e;
  }
  await beforeCopy(to.slice(0, Math.max(to.lastIndexOf("/"), to.lastIndexOf("\\"))));
  const part = `${to}.part`;
  await Deno.copyFile(from, part);
  const f = await Deno.open(part, { read: true, write: true });
  try {
    await f.sync();
  } finally {
    f.close();
  }
  const size = (await Deno.stat(part)).size;
  if (size !== bytes) {
    await Deno.remove(part).catch(() => {});
    throw new NasError(`copy of ${from} is ${size} bytes, expected ${bytes}`, {
      reason: "size_mismatch",
      path: to,
      hint: `复制到 ${to} 的文件大小不符（${size} ≠ ${bytes}），已删除半成品；请检查 NAS 连接后重试。`,
    });
  }
  await Deno.rename(part, to);
  return "copy";
}

async function ensureSpace(
  dir: string,
  need: number,
  reserve: number,
  probe: FreeBytesFn,
  log: Logger,
): Promise<void> {
  const free = await probe(dir);
  if (free === undefined) {
    log.warn("nas.free_space_unknown", {
      dir,
      hint: "无法获取剩余空间（需 --allow-sys=statfs），已跳过检查。",
    });
    return;
  }
  if (free < need + reserve) {
    const gb = (n: number) => (n / 1024 ** 3).toFixed(2);
    throw new NasError(`not enough space in ${dir}: ${free} < ${need} + ${reserve}`, {
      reason: "no_space",
      path: dir,
      hint: `NAS 空间不足：${dir} 剩余 ${gb(free)} GB，需要 ${gb(need)} GB 并保留 ${gb(reserve)} GB` +
        `（nas.reserve_mb）。请清理空间后在状态页重试该任务。`,
    });
  }
}
