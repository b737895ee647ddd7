/**
 * Reporting: live progress figures (windows done/total, rows, rate, ETA),
 * the per-window NDJSON log line, and the final summary for the console and
 * `report.md` (with a per-window table).
 *
 * @module
 */
import { atomicWriteFile } from "../../lib/fs/atomic_write.ts";
import { dayOf, spanDays } from "./dates.ts";
import type { RequestRecord, WindowRecord } from "./stage_log.ts";
import type { VerifyReport } from "./verify.ts";
import { formatVerifyMarkdown } from "./verify_markdown.ts";
import { type ExportWindow, WINDOW_STATE_NAMES, WINDOW_STATES, type WindowState } from "./window.ts";

/** Progress of a run, for a progress bar or log line. */
export interface ExportProgress {
  /** Current stage. */
  stage: "request" | "collect" | "merge" | "verify" | "report";
  /** Windows finished (file saved, or failed) out of `windowsTotal`. */
  windowsDone: number;
  /** Windows expected in all (those planned so far plus an estimate for the days left). */
  windowsTotal: number;
  /** Rows in saved files. */
  rows: number;
  /** Windows finished per minute in this run. */
  ratePerMin: number;
  /** Seconds left at that rate (undefined until something finished). */
  etaSec?: number;
}

/** Is a window finished as far as collection goes? */
export function windowFinished(w: ExportWindow): boolean {
  if (w.state === "downloaded" || w.state === "verified") return true;
  return w.state === "failed" && (w.reasonCode !== "overcap" || w.filePath !== null);
}

/**
 * Progress over the covering (not split) windows. The total adds, for days
 * not planned yet, as many windows as the average window length so far
 * suggests.
 */
export function progressOf(
  windows: readonly ExportWindow[],
  range: { start: string; end: string },
  stage: ExportProgress["stage"],
  run: { startedAt: number; now: number; doneAtStart: number },
): ExportProgress {
  const leaves = windows.filter((w) => w.state !== "split");
  const covered = leaves.reduce((n, w) => n + spanDays(w.start, w.end), 0);
  const totalDays = dayOf(range.end) - dayOf(range.start) + 1;
  const avg = leaves.length ? covered / leaves.length : 7;
  const rest = Math.max(0, Math.ceil((totalDays - covered) / Math.max(1, avg)));
  const done = leaves.filter(windowFinished).length;
  const total = leaves.length + rest;
  const minutes = Math.max(1 / 60, (run.now - run.startedAt) / 60_000);
  const rate = Math.max(0, done - run.doneAtStart) / minutes;
  return {
    stage,
    windowsDone: done,
    windowsTotal: Math.max(total, done),
    rows: leaves.reduce((n, w) => n + (w.rowsInFile ?? 0), 0),
    ratePerMin: Math.round(rate * 10) / 10,
    etaSec: rate > 0 ? Math.round(((total - done) / rate) * 60) : undefined,
  };
}

/** The `windows.ndjson` line of a window: all of it, as it is now. */
export function windowRecord(w: ExportWindow, now: number): WindowRecord {
  return {
    type: "window",
    at: new Date(now).toISOString(),
    window_id: w.id,
    range: `${w.start} 至 ${w.end}`,
    state: w.state,
    declared_total: w.declaredTotal,
    rows: w.rowsInFile,
    file: w.filePath,
    error: w.state === "failed" || w.reasonCode ? w.reason : null,
    start: w.start,
    end: w.end,
    reason_code: w.reasonCode,
    task_id: w.taskId,
    requested_at: w.requestedAt,
    notice_id: w.noticeId,
    sha256: w.sha256,
    parent_id: w.parentId,
    attempts: w.attempts,
  };
}

/** Figures of a run. */
export interface ExportSummary {
  /** Range. */
  range: { start: string; end: string };
  /** How the run ended (Chinese). */
  outcome: string;
  /** Windows per state. */
  states: Record<WindowState, number>;
  /** Export calls made over the whole run (all sessions). */
  exportCalls: number;
  /** Count queries answered over the whole run (0 without a count source). */
  countCalls: number;
  /** ceil(declared records / cap). */
  minimumCalls: number;
  /** Records declared over the covering windows. */
  declared: number;
  /** Rows in saved files. */
  rowsInFiles: number;
  /** Rows in the merged file. */
  mergedRows: number | null;
  /** Duplicates removed. */
  duplicates: number | null;
  /** Days over the cap: `YYYY-MM-DD（N 条）`. */
  overcapDays: string[];
  /** Merged file. */
  mergedPath: string | null;
  /** Wall time of this session, ms. */
  elapsedMs: number;
}

/** Build the summary from the ledger and the request log. */
export function summarize(
  windows: readonly ExportWindow[],
  requests: readonly RequestRecord[],
  o: {
    range: { start: string; end: string };
    cap: number;
    outcome: string;
    merged?: { path: string; rows: number; duplicates: number };
    elapsedMs: number;
    /** Count queries answered (from `count.ndjson`). */
    countCalls?: number;
  },
): ExportSummary {
  const states = Object.fromEntries(WINDOW_STATES.map((s) => [s, 0])) as Record<WindowState, number>;
  for (const w of windows) states[w.state]++;
  const leaves = windows.filter((w) => w.state !== "split");
  const declared = leaves.reduce((n, w) => n + (w.declaredTotal ?? 0), 0);
  return {
    range: o.range,
    outcome: o.outcome,
    states,
    exportCalls: requests.filter((r) => r.task_id !== undefined).length,
    countCalls: o.countCalls ?? 0,
    minimumCalls: Math.ceil(declared / o.cap),
    declared,
    rowsInFiles: leaves.reduce((n, w) => n + (w.rowsInFile ?? 0), 0),
    mergedRows: o.merged?.rows ?? null,
    duplicates: o.merged?.duplicates ?? null,
    overcapDays: leaves.filter((w) => w.reasonCode === "overcap").map((w) =>
      `${w.start}（${w.declaredTotal} 条）`
    ),
    mergedPath: o.merged?.path ?? null,
    elapsedMs: o.elapsedMs,
  };
}

/** Chinese console lines. */
export function formatSummary(s: ExportSummary): string[] {
  const st = WINDOW_STATES.filter((k) => s.states[k]).map((k) => `${WINDOW_STATE_NAMES[k]} ${s.states[k]}`);
  const lines = [
    `导出范围 ${s.range.start} 至 ${s.range.end}：${s.outcome}`,
    `窗口：${st.join("，") || "无"}`,
    `导出调用 ${s.exportCalls} 次${s.countCalls ? `，计数查询 ${s.countCalls} 次` : ""}` +
    `（按声明条数的最少次数 ${s.minimumCalls}）`,
    `飞书声明 ${s.declared} 条，文件共 ${s.rowsInFiles} 行` +
    (s.mergedRows !== null ? `，合并后 ${s.mergedRows} 行（去除重复 ${s.duplicates}）` : ""),
  ];
  if (s.overcapDays.length) {
    lines.push(`注意：以下日期单日超过上限，文件只含前一部分记录：${s.overcapDays.join("、")}`);
  }
  if (s.mergedPath) lines.push(`合并文件：${s.mergedPath}`);
  lines.push(`本次耗时 ${(s.elapsedMs / 1000).toFixed(1)} 秒`);
  return lines;
}

/** `report.md`: summary, verification and the per-window table. */
export function formatReportMarkdown(
  s: ExportSummary,
  windows: readonly ExportWindow[],
  verify?: VerifyReport,
): string {
  const esc = (v: unknown) => (v === null || v === undefined ? "" : String(v).replace(/\|/g, "\\|"));
  const lines = [
    `# 合同协同记录导出报告`,
    "",
    ...formatSummary(s).map((l) => `- ${l}`),
    "",
    ...(verify ? [formatVerifyMarkdown(verify)] : ["## 校验结果：尚未校验", ""]),
    "## 窗口明细",
    "",
    "| ID | 开始 | 结束 | 天数 | 状态 | 声明条数 | 文件行数 | 导出次数 | 文件 | 说明 |",
    "|---:|---|---|---:|---|---:|---:|---:|---|---|",
  ];
  for (const w of [...windows].sort((a, b) => a.start.localeCompare(b.start) || a.id - b.id)) {
    const file = w.filePath ? w.filePath.slice(w.filePath.lastIndexOf("/") + 1) : "";
    lines.push(
      `| ${w.id} | ${w.start} | ${w.end} | ${spanDays(w.start, w.end)} | ${WINDOW_STATE_NAMES[w.state]} | ${
        esc(w.declaredTotal)
      } | ${esc(w.rowsInFile)} | ${w.attempts} | ${esc(file)} | ${esc(w.reason)}${
        w.parentId ? `${w.reason ? "；" : ""}拆分自窗口 ${w.parentId}` : ""
      } |`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Write `report.md` atomically. */
export async function writeReport(path: string, markdown: string): Promise<void> {
  await atomicWriteFile(path, markdown);
}
