/**
 * Adaptive window planning (pure). Windows are laid from the start date;
 * each new window starts at the first day no window covers yet, and its
 * length is chosen so its expected record count stays safely under the
 * export cap:
 *
 * - The first window is `initialDays` long (nothing is known yet).
 * - Then the density (records per day, weekends weighed apart) is measured
 *   over the recent accepted windows to the left; how far back, the weekend
 *   weight and a trend term are tuned on the windows already exported (see
 *   `_plan_model.ts`), as is the share of the cap to aim at (it starts at
 *   `fill`). Days over the cap are left out.
 * - A window whose declared total reaches the threshold is marked `split`.
 *   Its days are then covered by new windows ("parts") planned with exact
 *   remainders: the split window's total minus the accepted parts inside it is
 *   known exactly for its uncovered days, so a part is sized from that
 *   remainder (assumed spread evenly), and the part after the last inner one
 *   may run past the split window using the density. This is neither halving
 *   nor 7→3→1: a part is as long as the records allow, which keeps the number
 *   of exports close to the minimum ceil(total / cap).
 * - The length chosen is the longest with `exact + uncertain / fill <
 *   threshold`, where `exact` counts records known exactly (whole remainders)
 *   and `uncertain` the estimated ones; so an estimate-only window aims at
 *   `fill × threshold` records.
 * - A split window holding far more than the density explains (≥ half the
 *   threshold extra) most likely hides a day over the cap: it is halved from
 *   the left until that day stands alone.
 * - A window of `minDays` (default 1 day) that still exceeds the cap cannot be
 *   split by date: it is `overcap` (failed with a reason; its file still holds
 *   the first `cap` rows).
 *
 * @module
 */
import { dayOf, isoOf } from "./dates.ts";
import type { WindowState } from "./window.ts";
import { tuneModel, weightedDays } from "./_plan_model.ts";
import { firstGap } from "./_gap.ts";

/** Planner settings (defaults in brackets). */
export interface PlanOptions {
  /** First day of the whole range, `YYYY-MM-DD`. */
  start: string;
  /** Last day of the whole range (included). */
  end: string;
  /** Length of the first window, days [7]. */
  initialDays?: number;
  /** Rows one export file can hold [1000]. */
  cap?: number;
  /** A declared total ≥ this counts as "hit the cap" [= cap]. */
  threshold?: number;
  /** Smallest window, days [1]. */
  minDays?: number;
  /** Largest window, days [366]. */
  maxDays?: number;
  /** Share of the threshold a window aims at until enough windows tune it, 0.5–1 [0.9]. */
  fill?: number;
  /** A window may be at most this many times as long as the previous one [4]. */
  maxGrowth?: number;
}

/** What the planner needs to know about an existing window. */
export interface PlanWindow {
  /** Ledger id. */
  id: number;
  /** First day. */
  start: string;
  /** Last day. */
  end: string;
  /** State (`split` windows do not cover their days). */
  state: WindowState;
  /** Declared total once exported. */
  total?: number | null;
  /** True for a single day over the cap (left out of the density). */
  overcap?: boolean;
}

/** A window the planner proposes. */
export interface PlannedWindow {
  /** First day. */
  start: string;
  /** Last day. */
  end: string;
  /** The innermost split window it is a part of, if any. */
  parentId: number | null;
  /** Records expected in it (null when nothing is known yet). */
  estimate: number | null;
  /** Density used for the days past known remainders (records/day), if any. */
  density: number | null;
  /** How the length was chosen (`count`: by exact counts, see `plan_count.ts`). */
  basis: "initial" | "density" | "remainder" | "bisect" | "count";
}

/** What to do with an exported window given its declared total. */
export type Verdict = "ok" | "split" | "overcap";

/** Settings with defaults applied. */
export type ResolvedPlanOptions = Required<PlanOptions>;

/** Apply defaults and check ranges. */
export function resolvePlanOptions(o: PlanOptions): ResolvedPlanOptions {
  const cap = o.cap ?? 1000;
  const r: ResolvedPlanOptions = {
    start: o.start,
    end: o.end,
    initialDays: o.initialDays ?? 7,
    cap,
    threshold: o.threshold ?? cap,
    minDays: o.minDays ?? 1,
    maxDays: o.maxDays ?? 366,
    fill: o.fill ?? 0.9,
    maxGrowth: o.maxGrowth ?? 4,
  };
  if (dayOf(r.start) > dayOf(r.end)) throw new RangeError("start after end");
  if (r.threshold < 1 || r.threshold > cap) throw new RangeError("threshold must be in 1..cap");
  if (r.minDays < 1 || r.maxDays < r.minDays || r.initialDays < r.minDays) {
    throw new RangeError("window sizes out of order");
  }
  if (!(r.fill >= 0.5 && r.fill <= 1) || r.maxGrowth < 1) {
    throw new RangeError("fill/maxGrowth out of range");
  }
  return r;
}

/** Judge an exported window: under the threshold, to be split, or a smallest window over the cap. */
export function judgeWindow(days: number, total: number, o: ResolvedPlanOptions): Verdict {
  if (total < o.threshold) return "ok";
  if (days > o.minDays) return "split";
  return total > o.cap ? "overcap" : "ok";
}

interface Span {
  id: number;
  s: number;
  e: number;
  state: WindowState;
  total: number | null;
  overcap: boolean;
}

/** A stretch of days whose record count is known exactly. */
interface Piece {
  s: number;
  e: number;
  sum: number;
}

/**
 * Propose up to `count` new windows (fewer when the range is covered). Each
 * starts at the first uncovered day; windows proposed in the same call are
 * taken as covering their days, so they never overlap.
 */
export function planNext(
  windows: readonly PlanWindow[],
  options: PlanOptions | ResolvedPlanOptions,
  count = 1,
): PlannedWindow[] {
  const o = resolvePlanOptions(options);
  const spans: Span[] = windows.map((w) => ({
    id: w.id,
    s: dayOf(w.start),
    e: dayOf(w.end),
    state: w.state,
    total: w.total ?? null,
    overcap: w.overcap ?? false,
  }));
  const out: PlannedWindow[] = [];
  for (let i = 0; i < count; i++) {
    const next = planOne(spans, o);
    if (!next) break;
    out.push(next);
    spans.push({
      id: -1 - i,
      s: dayOf(next.start),
      e: dayOf(next.end),
      state: "planned",
      total: null,
      overcap: false,
    });
  }
  return out;
}

function planOne(spans: Span[], o: ResolvedPlanOptions): PlannedWindow | undefined {
  const gap = firstGap(spans, (w) => w.state === "split", o);
  if (!gap) return undefined;
  const { a, limit, parentId, leaves, gapEnd: b, around: splits } = gap;
  const pieces = knownPieces(splits, leaves, a, b);
  const history = leaves.filter((w) => w.e < a && w.total !== null && !w.overcap);
  const model = tuneModel(history.map((w) => ({ s: w.s, e: w.e, total: w.total! })), o.fill, o.threshold);
  if (pieces.length === 0 && model === null) {
    const end = Math.min(limit, a + o.initialDays - 1);
    return { start: isoOf(a), end: isoOf(end), parentId, estimate: null, density: null, basis: "initial" };
  }
  const weekend = model?.weekend ?? 1;
  const fill = model?.fill ?? o.fill;
  const wd = (s: number, e: number) => weightedDays(s, e, weekend);
  // Past the known pieces, days are estimated with the density; a window may
  // grow at most `maxGrowth` times the recent accepted ones there.
  const piecesEnd = pieces.length ? pieces[pieces.length - 1].e : a - 1;
  const density = model?.density ?? pieceDensity(pieces, wd);
  // Recent windows may be short parts of a split; the longest of the last few is the reference.
  const lastDays = Math.max(o.initialDays, ...history.slice(-4).map((w) => w.e - w.s + 1));
  const hardEnd = Math.min(
    limit,
    Math.max(piecesEnd, a + Math.max(o.initialDays, o.maxGrowth * lastDays) - 1),
  );
  const first = pieces[0];
  if (model && first && first.e > a && first.sum - density * wd(first.s, first.e) >= o.threshold / 2) {
    // Far more records than the density explains: most likely one day over the
    // cap hides in it. Halve the stretch until that day stands alone.
    const end = Math.max(a + o.minDays - 1, a + Math.floor((first.e - a + 1) / 2) - 1);
    return {
      start: isoOf(a),
      end: isoOf(Math.min(end, limit)),
      parentId,
      estimate: null,
      density: null,
      basis: "bisect",
    };
  }
  let exact = 0;
  let g = a;
  let estimate = 0;
  let pi = 0;
  for (let d = a; d <= hardEnd; d++) {
    while (pi < pieces.length && pieces[pi].e < d) exact += pieces[pi++].sum;
    let known = exact;
    let inPiece = 0;
    let beyond = 0;
    if (pi < pieces.length && pieces[pi].s <= d) {
      const p = pieces[pi];
      if (d === p.e) known += p.sum;
      else inPiece = (p.sum * wd(p.s, d)) / Math.max(1e-9, wd(p.s, p.e));
    } else if (d > piecesEnd) beyond = density * wd(piecesEnd + 1, d);
    // Spreading a known count over its days errs less than a density guess.
    if (d > a && known + inPiece / o.fill + beyond / fill >= o.threshold) break;
    g = d;
    estimate = known + inPiece + beyond;
  }
  g = Math.max(g, Math.min(limit, a + o.minDays - 1));
  return {
    start: isoOf(a),
    end: isoOf(g),
    parentId,
    estimate: Math.round(estimate),
    density: model ? round2(model.density * wd(0, 6) / 7) : null,
    basis: pieces.length ? "remainder" : "density",
  };
}

/**
 * Exactly known stretches from `a` on: for each split window around `a` whose
 * inner accepted parts all lie left of `a` (and nothing covers its days from
 * `a` on), its total minus those parts is the exact count of `[a, its end]`.
 * Nested or overlapping split windows give consecutive pieces.
 */
function knownPieces(splits: Span[], leaves: Span[], a: number, b: number): Piece[] {
  const usable: { e: number; rest: number }[] = [];
  for (const k of splits) {
    if (k.total === null || k.e > b) continue;
    let rest = k.total;
    let ok = true;
    for (const w of leaves) {
      if (w.e < k.s || w.s > k.e) continue;
      if (w.s < k.s || w.e >= a || w.total === null) {
        ok = false;
        break;
      }
      rest -= w.total;
    }
    if (ok) usable.push({ e: k.e, rest: Math.max(0, rest) });
  }
  usable.sort((x, y) => x.e - y.e || x.rest - y.rest);
  const pieces: Piece[] = [];
  let prevEnd = a - 1;
  let prevRest = 0;
  for (const u of usable) {
    if (u.e <= prevEnd) continue;
    pieces.push({ s: prevEnd + 1, e: u.e, sum: Math.max(0, u.rest - prevRest) });
    prevEnd = u.e;
    prevRest = Math.max(prevRest, u.rest);
  }
  return pieces;
}

function pieceDensity(pieces: Piece[], wd: (s: number, e: number) => number): number {
  let sum = 0;
  let days = 0;
  for (const p of pieces) {
    sum += p.sum;
    days += wd(p.s, p.e);
  }
  return days ? sum / days : 0;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
