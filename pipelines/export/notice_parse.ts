/**
 * Reading the bot's "导出完成" messages (pure). The sandbox contract text is
 * `协同操作记录导出完成：YYYY-MM-DD 至 YYYY-MM-DD，共 N 条`, plus
 * `，超出单次导出上限 1000 条，文件仅包含前 1000 条` when truncated; the parser
 * also accepts `/` or `.` or `年月日` dates, `~ 到 -` between them, full-width
 * punctuation, thousands separators and spaces.
 *
 * @module
 */
import type { ExportNotice } from "./collector.ts";

/** What a message says. */
export interface ParsedNotice {
  /** Exported range. */
  range?: { start: string; end: string };
  /** Records declared. */
  total?: number;
  /** The file holds only the first rows. */
  truncated?: boolean;
  /** Rows the text says the file holds (`仅包含前 N 条`). */
  rowsInFile?: number;
}

const DATE = String.raw`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?`;
const RANGE = new RegExp(`${DATE}\\s*(?:至|到|~|～|—|–|-)\\s*${DATE}`);
const TOTAL = /共\s*([\d,，]+)\s*条/;
const TRUNC = /超出|超过.{0,12}上限|仅包含前|只包含前|截断/;
const ROWS = /(?:仅|只)包含前\s*([\d,，]+)\s*条/;

function iso(y: string, m: string, d: string): string {
  return `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
}

function num(s: string): number {
  return Number(s.replace(/[,，]/g, ""));
}

/** True when the text is an export completion message. */
export function isExportNotice(text: string): boolean {
  return /导出完成/.test(text);
}

/** Parse range, total and truncation out of a message text. */
export function parseNoticeText(text: string): ParsedNotice {
  const out: ParsedNotice = {};
  const r = RANGE.exec(text);
  if (r) out.range = { start: iso(r[1], r[2], r[3]), end: iso(r[4], r[5], r[6]) };
  const t = TOTAL.exec(text);
  if (t) out.total = num(t[1]);
  if (TRUNC.test(text)) out.truncated = true;
  const rows = ROWS.exec(text);
  if (rows) out.rowsInFile = num(rows[1]);
  return out;
}

/** Fill a notice's missing `range`, `total` and `truncated` from its text. */
export function enrichNotice(n: ExportNotice): ExportNotice {
  const p = parseNoticeText(n.text);
  return {
    ...n,
    range: n.range ?? p.range,
    total: n.total ?? p.total,
    truncated: n.truncated ?? p.truncated,
  };
}

/** The sandbox contract's message text for an export of `total` records (cap 1000 by default). */
export function formatNoticeText(range: { start: string; end: string }, total: number, cap = 1000): string {
  const base = `协同操作记录导出完成：${range.start} 至 ${range.end}，共 ${total} 条`;
  return total > cap ? `${base}，超出单次导出上限 ${cap} 条，文件仅包含前 ${cap} 条` : base;
}
