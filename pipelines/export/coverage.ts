/**
 * Date coverage of the covering windows (pure): gaps and overlaps over the
 * whole range, in Chinese.
 *
 * @module
 */
import { addDays, dayOf, isoOf } from "./dates.ts";
import type { ExportWindow } from "./window.ts";

/** Gaps and overlaps of the covering windows over the range. */
export function coverageProblems(
  leaves: readonly Pick<ExportWindow, "id" | "start" | "end">[],
  range: { start: string; end: string },
): string[] {
  const out: string[] = [];
  const sorted = [...leaves].sort((a, b) => dayOf(a.start) - dayOf(b.start));
  let next = dayOf(range.start);
  for (const w of sorted) {
    const s = dayOf(w.start);
    const e = dayOf(w.end);
    if (s > next) out.push(`缺口：${isoOf(next)} 至 ${addDays(w.start, -1)} 没有窗口`);
    if (s < next) out.push(`重叠：窗口 ${w.id}（${w.start} 至 ${w.end}）与前面的窗口重叠`);
    next = Math.max(next, e + 1);
  }
  if (next <= dayOf(range.end)) out.push(`缺口：${isoOf(next)} 至 ${range.end} 没有窗口`);
  return out;
}
