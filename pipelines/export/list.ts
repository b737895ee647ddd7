/**
 * `deno task export --list`: the windows of a run as a Chinese table.
 *
 * @module
 */
import { ConfigError } from "../../lib/errors/config_error.ts";
import { spanDays } from "./dates.ts";
import { ExportLedger } from "./ledger.ts";
import { type ExportWindow, WINDOW_STATE_NAMES } from "./window.ts";

/** Display width of a string (CJK and full-width characters count 2). */
export function displayWidth(s: string): number {
  let n = 0;
  for (const ch of s) {
    n +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
        ? 2
        : 1;
  }
  return n;
}

function pad(s: string, width: number, right = false): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(s)));
  return right ? fill + s : s + fill;
}

/** Table lines: ID, 开始, 结束, 天数, 状态, 声明条数, 文件行数, 导出次数, 说明 (reason or file name), then a count line. */
export function formatWindowTable(windows: readonly ExportWindow[]): string[] {
  const head = ["ID", "开始", "结束", "天数", "状态", "声明条数", "文件行数", "导出次数", "说明"];
  const numeric = [true, false, false, true, false, true, true, true, false];
  const rows = [...windows].sort((a, b) => a.start.localeCompare(b.start) || a.id - b.id).map((w) => [
    String(w.id),
    w.start,
    w.end,
    String(spanDays(w.start, w.end)),
    WINDOW_STATE_NAMES[w.state],
    w.declaredTotal === null ? "—" : String(w.declaredTotal),
    w.rowsInFile === null ? "—" : String(w.rowsInFile),
    String(w.attempts),
    w.reason ?? (w.filePath ? w.filePath.slice(w.filePath.lastIndexOf("/") + 1) : "") +
        (w.parentId ? `（拆分自 ${w.parentId}）` : ""),
  ]);
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], numeric[i])).join("  ").trimEnd();
  const counts = new Map<string, number>();
  for (const w of windows) {
    counts.set(WINDOW_STATE_NAMES[w.state], (counts.get(WINDOW_STATE_NAMES[w.state]) ?? 0) + 1);
  }
  return [
    line(head),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    `共 ${windows.length} 个窗口：${[...counts].map(([k, v]) => `${k} ${v}`).join("，") || "无"}`,
  ];
}

/** The windows of the run in `runDir` (its `ledger.sqlite`). */
export function listRunWindows(runDir: string): ExportWindow[] {
  try {
    Deno.statSync(`${runDir}/ledger.sqlite`);
  } catch {
    throw new ConfigError(`no ledger in ${runDir}`, {
      hint: `目录 ${runDir} 中没有导出进度（ledger.sqlite）：请确认 output.dir 或运行目录是否正确。`,
    });
  }
  const ledger = ExportLedger.open(`${runDir}/ledger.sqlite`);
  try {
    return ledger.list();
  } finally {
    ledger.close();
  }
}
