/**
 * Window planning with exact counts. When a count source is configured (the
 * list request of the cooperation-record page, see `lib/clm/count_api.ts`),
 * the next window starting at the first uncovered day `a` is the longest
 * `[a, e]` (at most `maxDays`, never into a covered day) whose count stays
 * under the threshold:
 *
 * - Counts already known are used first: export totals, earlier count
 *   queries (kept in the ledger, so a resumed run does not ask again) and
 *   everything derived from them (see {@linkcode RangeCounts}).
 * - Then the boundary is searched over days: galloping from `a` with steps
 *   predicted from the density (the prefix already counted, else the recent
 *   windows), until a count reaches the threshold; then a binary search of the
 *   bracket, each cut placed by interpolating the two counts around it (a
 *   plain halving whenever the interpolation stalls).
 * - A window that exported at or over the threshold bounds the search from
 *   above even when a count said otherwise, so planning always makes progress.
 * - A single day (a `minDays` window) at or over the threshold is proposed
 *   alone; the export then flags it `overcap` exactly as without counts.
 *
 * Export calls then normally succeed first time, so their number is close to
 * the minimum. Without a count source the learning planner (`plan.ts`) is
 * used, unchanged.
 *
 * @module
 */
import type { CountResult } from "../../lib/clm/count_api.ts";
import type { ExportCallOptions, ExportRange } from "../../lib/clm/export_api.ts";
import { dayOf, isoOf } from "./dates.ts";
import type { PlannedWindow, PlanOptions, PlanWindow, ResolvedPlanOptions } from "./plan.ts";
import { resolvePlanOptions } from "./plan.ts";
import { RangeCounts } from "./range_counts.ts";
import { firstGap } from "./_gap.ts";

/** Counts the records of a range (the `CountApi` of lib/clm, or a fake in tests). */
export interface CountClient {
  /** Count the records created in `range` (whole days, inclusive). */
  countRecords(range: ExportRange, o?: ExportCallOptions): Promise<CountResult>;
}

/** The count of one range of whole days. */
export interface KnownCount {
  /** First day, `YYYY-MM-DD`. */
  start: string;
  /** Last day (included). */
  end: string;
  /** Records in it. */
  total: number;
}

/** Where count results are kept across runs (the ledger). */
export interface CountStore {
  /** Every count recorded so far. */
  counts(): KnownCount[];
  /** Record a count. */
  putCount(c: KnownCount): void;
}

/** One count query that was answered. */
export interface CountQuery extends KnownCount {
  /** HTTP attempts it took. */
  attempts: number;
  /** Wall time, ms. */
  elapsedMs: number;
}

/** Options of {@linkcode CountOracle}. */
export interface CountOracleOptions {
  /** Keeps every answer (and supplies those of earlier runs to {@linkcode CountOracle.prime}). */
  store?: CountStore;
  /** Cancels a query in flight. */
  signal?: AbortSignal;
  /** After each answered query. */
  onQuery?: (q: CountQuery) => void;
  /** Ids for the HTTP log lines. */
  ids?: Record<string, unknown>;
}

/** Known counts plus the count source: answers from what is known, asks only for the rest. */
export class CountOracle {
  /** What is known exactly. */
  readonly known: RangeCounts = new RangeCounts();
  #client: CountClient;
  #o: CountOracleOptions;
  #calls = 0;

  /** Wrap a count source. */
  constructor(client: CountClient, o: CountOracleOptions = {}) {
    this.#client = client;
    this.#o = o;
  }

  /** Count queries made through this oracle. */
  get calls(): number {
    return this.#calls;
  }

  /**
   * Load what is known: the declared totals of `windows` first (an export's
   * total is authoritative), then the stored counts (a contradicting one is
   * skipped). Returns how many stored counts contradicted the totals.
   */
  prime(windows: readonly PlanWindow[]): number {
    this.learnWindows(windows);
    let conflicts = 0;
    for (const c of this.#o.store?.counts() ?? []) {
      if (!this.known.add(dayOf(c.start), dayOf(c.end), c.total)) conflicts++;
    }
    return conflicts;
  }

  /** Learn the declared totals of windows (contradictions are left out). */
  learnWindows(windows: readonly PlanWindow[]): void {
    for (const w of windows) {
      if (w.total !== null && w.total !== undefined) this.known.add(dayOf(w.start), dayOf(w.end), w.total);
    }
  }

  /** The known count of `[start, end]`, if any. */
  knownCount(start: string, end: string): number | undefined {
    return this.known.get(dayOf(start), dayOf(end));
  }

  /** The count of days `s..e` (day numbers): known, or asked (then stored and reported). */
  async count(s: number, e: number): Promise<number> {
    const have = this.known.get(s, e);
    if (have !== undefined) return have;
    const range = { start: isoOf(s), end: isoOf(e) };
    const t0 = performance.now();
    const r = await this.#client.countRecords(range, { signal: this.#o.signal, ids: this.#o.ids });
    this.#calls++;
    this.known.add(s, e, r.total);
    this.#o.store?.putCount({ ...range, total: r.total });
    this.#o.onQuery?.({
      ...range,
      total: r.total,
      attempts: r.attempts,
      elapsedMs: Math.round(performance.now() - t0),
    });
    return r.total;
  }
}

interface Span {
  id: number;
  s: number;
  e: number;
  split: boolean;
  total: number | null;
  overcap: boolean;
}

/**
 * Propose up to `count` new windows with exact counts (fewer when the range
 * is covered); windows proposed in the same call never overlap. Count
 * queries go through `oracle`; a failed query rejects (nothing is proposed).
 */
export async function planNextCounted(
  windows: readonly PlanWindow[],
  options: PlanOptions | ResolvedPlanOptions,
  oracle: CountOracle,
  count = 1,
): Promise<PlannedWindow[]> {
  const o = resolvePlanOptions(options);
  oracle.learnWindows(windows);
  const spans: Span[] = windows.map((w) => ({
    id: w.id,
    s: dayOf(w.start),
    e: dayOf(w.end),
    split: w.state === "split",
    total: w.total ?? null,
    overcap: w.overcap ?? false,
  }));
  const out: PlannedWindow[] = [];
  for (let i = 0; i < count; i++) {
    const next = await planOneCounted(spans, o, oracle);
    if (!next) break;
    out.push(next);
    spans.push({
      id: -1 - i,
      s: dayOf(next.start),
      e: dayOf(next.end),
      split: false,
      total: null,
      overcap: false,
    });
  }
  return out;
}

async function planOneCounted(
  spans: Span[],
  o: ResolvedPlanOptions,
  oracle: CountOracle,
): Promise<PlannedWindow | undefined> {
  const gap = firstGap(spans, (w) => w.split, o);
  if (!gap) return undefined;
  const { a, limit, parentId, leaves } = gap;
  let cap = limit + 1;
  for (const w of spans) {
    if (w.total !== null && w.total >= o.threshold && w.s >= a && w.e >= a && w.e < cap) cap = w.e;
  }
  const end = await searchEnd(a, limit, cap, o, oracle, () => recentDensity(leaves, a));
  const total = oracle.known.get(a, end) ?? null;
  const days = end - a + 1;
  return {
    start: isoOf(a),
    end: isoOf(end),
    parentId,
    estimate: total,
    density: total === null ? null : Math.round((total / days) * 100) / 100,
    basis: "count",
  };
}

/**
 * The last day `e` in `[a, limit]` with count(a, e) < threshold (at least the
 * `minDays` window). `cap` is a day known to be at or over the threshold
 * (`limit + 1` when none).
 */
async function searchEnd(
  a: number,
  limit: number,
  cap: number,
  o: ResolvedPlanOptions,
  oracle: CountOracle,
  history: () => number | null,
): Promise<number> {
  const T = o.threshold;
  const minEnd = Math.min(limit, a + o.minDays - 1);
  let hi = cap;
  let hiC = Infinity;
  const known = oracle.known.knownFrom(a).filter(([e]) => e <= limit);
  for (const [e, c] of known) {
    if (c >= T && e < hi) [hi, hiC] = [e, c];
  }
  let lo = a - 1;
  let loC = 0;
  for (const [e, c] of known) {
    if (c < T && e < hi && e > lo) [lo, loC] = [e, c];
  }
  if (hi <= limit && hiC === Infinity) hiC = oracle.known.get(a, hi) ?? T;
  let sameSide = 0;
  let lastSide = 0;
  let step = 0;
  while (hi - lo > 1) {
    let p: number;
    if (hi > limit) {
      // Galloping: predict the last day under the threshold from the density.
      const counted = lo - a + 1;
      const rho = counted >= 3 || loC >= T / 4 ? loC / Math.max(1, counted) : history() ?? 0;
      const predicted = rho > 0 ? Math.floor((T - 0.5 - loC) / rho) : 0;
      step = rho > 0 ? Math.max(1, predicted) : Math.max(o.initialDays, 2 * step);
      p = Math.min(limit, lo + step);
    } else if (sameSide >= 2) {
      p = lo + Math.floor((hi - lo) / 2); // the interpolation stalls: halve
    } else {
      const x = lo + ((T - 0.5 - loC) / Math.max(1, hiC - loC)) * (hi - lo);
      p = Math.min(hi - 1, Math.max(lo + 1, Math.floor(x)));
    }
    const c = await oracle.count(a, p);
    const side = c < T ? -1 : 1;
    sameSide = side === lastSide ? sameSide + 1 : 0;
    lastSide = side;
    if (c < T) [lo, loC] = [p, c];
    else [hi, hiC] = [p, c];
    if (lo >= limit) break;
  }
  return Math.max(lo, minEnd);
}

/** Records per day over about the last four weeks of windows before `a` (days over the cap left out). */
function recentDensity(leaves: Span[], a: number): number | null {
  let sum = 0;
  let days = 0;
  for (const w of [...leaves].filter((x) => x.e < a && x.total !== null && !x.overcap).reverse()) {
    sum += w.total!;
    days += w.e - w.s + 1;
    if (days >= 28) break;
  }
  return days ? sum / days : null;
}
