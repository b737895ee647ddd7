import { dayOf } from "./dates.ts";

/** A window as both planners see it: day numbers and whether it was split. */
export interface GapSpan {
  /** Window id (ledger id, or a negative id for windows planned in this call). */
  id: number;
  /** First day (day number). */
  s: number;
  /** Last day (day number, included). */
  e: number;
}

/** The first day no window covers yet, how far a new window may reach, and its split parent. */
export interface Gap<T extends GapSpan> {
  /** First uncovered day. */
  a: number;
  /** Last day a window starting at `a` may cover (end of the gap, `maxDays`, range end). */
  limit: number;
  /** The smallest split window around `a` (the new window is one of its parts), or null. */
  parentId: number | null;
  /** Last day of the gap (before the next covered day, or the range end). */
  gapEnd: number;
  /** The split windows around `a`. */
  around: T[];
  /** The windows that were not split, sorted by start. */
  leaves: T[];
}

/** Find the first gap in the coverage of `start..end` by the windows that were not split. */
export function firstGap<T extends GapSpan>(
  spans: readonly T[],
  isSplit: (w: T) => boolean,
  range: { start: string; end: string; maxDays: number },
): Gap<T> | undefined {
  const S = dayOf(range.start);
  const E = dayOf(range.end);
  const leaves = spans.filter((w) => !isSplit(w)).sort((x, y) => x.s - y.s);
  let a = S;
  let b = E;
  for (const w of leaves) {
    if (w.e < a) continue;
    if (w.s > a) {
      b = Math.min(E, w.s - 1);
      break;
    }
    a = w.e + 1;
  }
  if (a > E) return undefined;
  const around = spans.filter((w) => isSplit(w) && w.s <= a && a <= w.e);
  const parentId = [...around].sort((x, y) => (x.e - x.s) - (y.e - y.s))[0]?.id ?? null;
  return { a, limit: Math.min(b, a + range.maxDays - 1), parentId, gapEnd: b, around, leaves };
}
