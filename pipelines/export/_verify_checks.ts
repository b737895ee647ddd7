/**
 * The checks of `verifyRun` (internal), one function each. Every check adds
 * one {@linkcode VerifyCheck} to a {@linkcode Checks} and marks the windows
 * that failed a check of their own.
 *
 * @module
 */
import { sha256File } from "../../lib/encoding/sha256_file.ts";
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";
import type { MergeSummary } from "./merge_summary.ts";
import type { FileStats } from "./parse_files.ts";
import type { VerifyCheck } from "./verify.ts";
import { expectedRows, type ExportWindow, windowLabel } from "./window.ts";

const MAX_DETAILS = 50;

/** Statistics of each window's file, by window id. */
export type StatsByWindow = Map<number, { stats?: FileStats; error?: string }>;

/** The checks made so far and the windows that failed one. */
export class Checks {
  /** In the order made. */
  readonly list: VerifyCheck[] = [];
  /** Windows that failed a check of their own. */
  readonly failed = new Set<number>();

  /** Add a check: `pass` without problems, else `fail` (or `warn` when `warn`). */
  add(id: string, title: string, bad: string[], warn = false): void {
    this.list.push({
      id,
      title,
      status: bad.length === 0 ? "pass" : warn ? "warn" : "fail",
      details: bad.length > MAX_DETAILS
        ? [...bad.slice(0, MAX_DETAILS), `……另有 ${bad.length - MAX_DETAILS} 条`]
        : bad,
    });
  }

  /** `fail` when any check failed, else `warn` when any warned, else `pass`. */
  status(): "pass" | "warn" | "fail" {
    if (this.list.some((c) => c.status === "fail")) return "fail";
    return this.list.some((c) => c.status === "warn") ? "warn" : "pass";
  }
}

function label(w: ExportWindow): string {
  return `窗口 ${w.id}（${windowLabel(w)}）`;
}

/** Each file is there, unchanged since download, opens, and has the declared row count. Returns the rows in files. */
export async function checkIntegrityAndCounts(
  c: Checks,
  withFile: readonly ExportWindow[],
  stats: StatsByWindow,
  cap: number,
): Promise<number> {
  const integrity: string[] = [];
  const counts: string[] = [];
  let rowsInFiles = 0;
  for (const w of withFile) {
    let bytes: Uint8Array<ArrayBuffer> | undefined;
    try {
      bytes = await Deno.readFile(w.filePath!);
    } catch {
      integrity.push(`${label(w)}：文件 ${w.filePath} 不存在或无法读取`);
      c.failed.add(w.id);
      continue;
    }
    if (w.sha256 && (await sha256Hex(bytes)) !== w.sha256) {
      integrity.push(`${label(w)}：文件内容与下载时不一致（SHA-256 不同），可能被修改`);
      c.failed.add(w.id);
    }
    const s = stats.get(w.id);
    if (!s?.stats) {
      integrity.push(`${label(w)}：文件无法作为 xlsx 打开：${s?.error ?? "未知错误"}`);
      c.failed.add(w.id);
      continue;
    }
    rowsInFiles += s.stats.rows;
    const expected = expectedRows(w, cap);
    if (expected !== null && s.stats.rows !== expected) {
      counts.push(
        `${label(w)}：文件 ${s.stats.rows} 行，飞书声明 ${w.declaredTotal} 条（应为 ${expected} 行）`,
      );
      c.failed.add(w.id);
    }
  }
  c.add("integrity", "文件完整性（SHA-256、可打开）", integrity);
  c.add("counts", "每个窗口的行数与飞书声明一致", counts);
  return rowsInFiles;
}

/** Every window that covers days has a file. */
export function checkFiles(c: Checks, leaves: readonly ExportWindow[]): void {
  const missing = leaves.filter((w) => !w.filePath).map((w) =>
    `${label(w)}：${w.state === "failed" ? (w.reason ?? "失败") : `状态为「${w.state}」`}，没有文件`
  );
  c.add("files", "每个窗口都有文件", missing);
}

/** Headers identical across files (the most common header is the reference). */
export function checkHeaders(c: Checks, withFile: readonly ExportWindow[], stats: StatsByWindow): void {
  const heads = withFile.flatMap((w) => {
    const h = stats.get(w.id)?.stats?.headers;
    return h ? [{ w, key: JSON.stringify(h), h }] : [];
  });
  const freq = new Map<string, number>();
  for (const x of heads) freq.set(x.key, (freq.get(x.key) ?? 0) + 1);
  const refKey = [...freq.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const ref: string[] = refKey ? JSON.parse(refKey) : [];
  const drift = heads.filter((x) => x.key !== refKey).map(({ w, h }) => {
    const lack = ref.filter((col) => !h.includes(col));
    const extra = h.filter((col) => !ref.includes(col));
    const parts = [];
    if (lack.length) parts.push(`缺少列 ${lack.join("、")}`);
    if (extra.length) parts.push(`多出列 ${extra.join("、")}`);
    if (!parts.length) parts.push("列顺序不同");
    return `${label(w)}：${parts.join("；")}`;
  });
  c.add("headers", "各文件表头一致", drift);
}

/** Required columns present and filled in every file. */
export function checkRequired(
  c: Checks,
  withFile: readonly ExportWindow[],
  stats: StatsByWindow,
  requiredColumns: readonly string[],
): void {
  const required: string[] = [];
  for (const w of withFile) {
    const s = stats.get(w.id)?.stats;
    if (!s) continue;
    for (const col of s.missingRequired) required.push(`${label(w)}：缺少必填列「${col}」`);
    for (const [col, n] of Object.entries(s.emptyRequired)) {
      if (n > 0 && !s.missingRequired.includes(col)) {
        required.push(`${label(w)}：必填列「${col}」有 ${n} 行为空`);
      }
    }
    if (s.missingRequired.length || Object.values(s.emptyRequired).some((n) => n > 0)) c.failed.add(w.id);
  }
  c.add("required", `必填列不为空（${requiredColumns.join("、") || "未配置"}）`, required);
}

/** Every row's `column` day lies inside its window. */
export function checkWindowDates(
  c: Checks,
  withFile: readonly ExportWindow[],
  stats: StatsByWindow,
  column: string,
): void {
  const out: string[] = [];
  for (const w of withFile) {
    const s = stats.get(w.id)?.stats;
    if (s && s.outOfWindow > 0) {
      out.push(`${label(w)}：${s.outOfWindow} 行的「${column}」不在窗口日期内`);
      c.failed.add(w.id);
    }
  }
  c.add("window_dates", `「${column}」落在各自窗口内`, out);
}

/** Days over the cap (a warning). Returns the records no file holds. */
export function checkOvercap(c: Checks, leaves: readonly ExportWindow[], cap: number): number {
  const overcap = leaves.filter((w) => w.reasonCode === "overcap");
  c.add(
    "overcap",
    `单日超过 ${cap} 条（文件只含前 ${cap} 条）`,
    overcap.map((w) =>
      `${w.start}：共 ${w.declaredTotal} 条，文件仅 ${cap} 行，缺 ${(w.declaredTotal ?? 0) - cap} 条`
    ),
    true,
  );
  return overcap.reduce((n, w) => n + Math.max(0, (w.declaredTotal ?? 0) - cap), 0);
}

/** Duplicates the merge removed (a warning) and the merged file against the window files. */
export async function checkMerge(
  c: Checks,
  m: MergeSummary,
  withFile: readonly ExportWindow[],
  rowsInFiles: number,
): Promise<void> {
  const dup = m.duplicates > 0
    ? [
      `合并时去除重复 ${m.duplicates} 行`,
      ...m.duplicate_examples.slice(0, 10).map((d) => `  ${d.key}：保留 ${d.keptIn}，去除 ${d.droppedIn}`),
    ]
    : [];
  c.add("duplicates", "重复记录", dup, true);
  c.add("merged", "合并文件与各窗口文件一致", await mergedProblems(m, withFile, rowsInFiles));
}

async function mergedProblems(
  m: MergeSummary,
  withFile: readonly ExportWindow[],
  rowsInFiles: number,
): Promise<string[]> {
  const out: string[] = [];
  try {
    const sha = await sha256File(m.output);
    if (m.output_sha256 && sha !== m.output_sha256) out.push(`合并文件 ${m.output} 在合并后被修改`);
  } catch {
    out.push(`合并文件 ${m.output} 不存在`);
  }
  const now = new Map(withFile.map((w) => [w.id, w.sha256]));
  const stale = m.inputs.filter((i) => now.get(i.window_id) !== i.sha256).length +
    withFile.filter((w) => !m.inputs.some((i) => i.window_id === w.id)).length;
  if (stale) out.push(`合并之后有 ${stale} 个窗口文件发生变化，合并结果已过期（重新运行即可重新合并）`);
  if (!stale && m.rows_in !== rowsInFiles) out.push(`合并读入 ${m.rows_in} 行，窗口文件共 ${rowsInFiles} 行`);
  return out;
}
