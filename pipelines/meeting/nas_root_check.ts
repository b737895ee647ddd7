import { freeBytes as defaultFreeBytes, type FreeBytesFn } from "./free_space.ts";
import { NasError } from "./nas_error.ts";

/** Options of {@linkcode checkNasRoot}. */
export interface CheckNasRootOptions {
  /** Bytes below which a warning is returned (default 1 GiB). */
  reserveBytes?: number;
  /** Free-space probe (default the `statfs`/`df` one). */
  freeBytes?: FreeBytesFn;
}

/** What {@linkcode checkNasRoot} found. */
export interface NasRootStatus {
  /** Free bytes, when they could be measured. */
  freeBytes?: number;
  /** Chinese warnings (low space, space unknown). */
  warnings: string[];
}

/**
 * Start-up check of the NAS root: it exists, is a folder, and a file can be
 * created in it (a probe file is written and removed). Throws
 * {@linkcode NasError} with a Chinese hint saying what to fix.
 */
export async function checkNasRoot(root: string, options: CheckNasRootOptions = {}): Promise<NasRootStatus> {
  let st: Deno.FileInfo;
  try {
    st = await Deno.stat(root);
  } catch (e) {
    throw new NasError(`NAS root ${root} missing`, {
      reason: "root_missing",
      path: root,
      cause: e,
      hint: `NAS 根目录 ${root} 不存在或无法访问：请挂载 NAS 或创建该目录，` +
        `或修改配置 nas.root（环境变量 DOWNLOAD_PATH）。`,
    });
  }
  if (!st.isDirectory) {
    throw new NasError(`NAS root ${root} is not a directory`, {
      reason: "not_a_directory",
      path: root,
      hint: `NAS 根目录 ${root} 不是文件夹：请修改配置 nas.root（环境变量 DOWNLOAD_PATH）。`,
    });
  }
  const probe = `${root.replace(/[\\/]+$/, "")}/.feishu-kit-probe-${crypto.randomUUID()}`;
  try {
    await Deno.writeTextFile(probe, "ok", { createNew: true });
    await Deno.remove(probe);
  } catch (e) {
    throw new NasError(`NAS root ${root} not writable`, {
      reason: "not_writable",
      path: root,
      cause: e,
      hint: `无法在 NAS 根目录 ${root} 中写入文件：请检查挂载是否只读以及运行账号的写权限。`,
    });
  }
  const warnings: string[] = [];
  const free = await (options.freeBytes ?? defaultFreeBytes)(root);
  const reserve = options.reserveBytes ?? 1024 ** 3;
  if (free === undefined) {
    warnings.push(`无法获取 ${root} 的剩余空间（需 --allow-sys=statfs），将跳过空间检查。`);
  } else if (free < reserve) {
    warnings.push(
      `NAS 剩余空间仅 ${(free / 1024 ** 3).toFixed(2)} GB，低于保留值 nas.reserve_mb，录制将无法写入。`,
    );
  }
  return { freeBytes: free, warnings };
}
