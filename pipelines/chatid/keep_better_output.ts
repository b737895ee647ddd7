import { readWorkbookTable } from "./_input_bytes.ts";
import type { ChatIdRow } from "./row.ts";

/** Figures of one result workbook. */
export interface ResultFigures {
  /** Data rows. */
  rows: number;
  /** Rows with status `SUCCESS`. */
  success: number;
}

/** What {@linkcode keepBetterOutput} did with an existing output. */
export interface KeepBetterResult {
  /** Where the existing output was copied, when it was. */
  backupPath?: string;
  /** Figures of the existing output (undefined when there was none or it could not be read). */
  previous?: ResultFigures;
  /** A Chinese note for the console, when there is something to say. */
  note?: string;
}

/**
 * Whether `next` is worse than `previous`: fewer `SUCCESS` rows, or fewer
 * rows. Such a result never silently replaces an earlier one.
 */
export function isWorse(next: ResultFigures, previous: ResultFigures): boolean {
  return next.success < previous.success || next.rows < previous.rows;
}

/** Figures of rows about to be written. */
export function figuresOf(rows: readonly ChatIdRow[]): ResultFigures {
  return { rows: rows.length, success: rows.filter((r) => r.status === "SUCCESS").length };
}

/**
 * Before `rows` replace the workbook at `path`: when the existing one is
 * better (see {@linkcode isWorse}) or cannot be read, copy it to
 * `<path>.bak` (or `<path>.<time>.bak` when that exists, so no backup is ever
 * overwritten). `force` replaces without a copy.
 */
export async function keepBetterOutput(
  path: string,
  rows: readonly ChatIdRow[],
  o: { force?: boolean; now?: Date } = {},
): Promise<KeepBetterResult> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return {};
    throw e;
  }
  const next = figuresOf(rows);
  let previous: ResultFigures | undefined;
  try {
    const t = await readWorkbookTable(bytes, path);
    previous = {
      rows: t.rows.length,
      success: t.rows.filter((r) => String(r.status ?? "").trim() === "SUCCESS").length,
    };
  } catch { /* unreadable: keep a copy */ }
  if (previous && !isWorse(next, previous)) return { previous };
  const was = previous ? `（SUCCESS ${previous.success} 行，共 ${previous.rows} 行）` : "（无法读取）";
  const now = `本次结果 SUCCESS ${next.success} 行，共 ${next.rows} 行`;
  if (o.force) return { previous, note: `已有输出 ${path}${was}被 --force 直接替换；${now}。` };
  const backupPath = await freeBackupPath(path, o.now ?? new Date());
  await Deno.copyFile(path, backupPath);
  const why = previous ? `${was}比${now}更完整` : "无法读取，无法比较";
  return {
    previous,
    backupPath,
    note: `已有输出 ${path}${why}，已先备份为 ${backupPath}（不想备份可加 --force）。`,
  };
}

async function freeBackupPath(path: string, now: Date): Promise<string> {
  const plain = `${path}.bak`;
  if (!(await exists(plain))) return plain;
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  for (let i = 0;; i++) {
    const p = `${path}.${stamp}${i ? `-${i}` : ""}.bak`;
    if (!(await exists(p))) return p;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.lstat(p);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
