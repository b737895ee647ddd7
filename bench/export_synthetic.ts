/**
 * Synthetic record counts per day for the export planner (benchmarks and
 * tests), and a simulator that runs the planner against them the way the
 * request stage does.
 *
 * The data is uneven on purpose: growth over the years, monthly seasons,
 * quiet weekends, a dead Spring Festival fortnight each year, a few busy
 * weeks, Poisson-like noise, and a few single days over 1,000 records.
 *
 * @module
 */
import { dayOf, isoOf } from "../pipelines/export/dates.ts";
import {
  judgeWindow,
  planNext,
  type PlanOptions,
  type PlanWindow,
  resolvePlanOptions,
} from "../pipelines/export/plan.ts";

/** Options of {@linkcode syntheticCounts}. */
export interface SyntheticOptions {
  /** First day [2022-01-01]. */
  start?: string;
  /** Last day [2026-11-25]. */
  end?: string;
  /** Records over the whole range [80 000]. */
  total?: number;
  /** Counts of the single days over the cap, placed at seeded random days [1250, 1800, 2600]. */
  spikes?: number[];
  /** PRNG seed [7]. */
  seed?: number;
  /**
   * How uneven ["moderate"]: `smooth` = growth, seasons, weekends and day
   * noise as `moderate` but no busy stretches or festival; `moderate` = ×2.5 growth, ±25% seasons, weekends
   * at 30%, a quiet Spring Festival week, four busy 10-day stretches at ×1.8,
   * Poisson-like day noise; `harsh` = ×7 growth, ±45% monthly steps, weekends
   * at 15%, a dead Spring Festival fortnight, six busy fortnights at ×3 and
   * ±60% day noise (even "the last 3 weeks predict the next 3" is off by
   * 30–45% a fifth of the time).
   */
  profile?: "smooth" | "moderate" | "harsh";
}

/** Counts per day of the range (index 0 = start). */
export interface SyntheticData {
  /** First day. */
  start: string;
  /** Last day. */
  end: string;
  /** Records per day. */
  counts: number[];
  /** Sum of `counts`. */
  total: number;
  /** Indexes of the spike days. */
  spikeDays: number[];
}

/** A standard normal draw (Box–Muller). */
function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Deterministic PRNG (mulberry32) returning [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Build an uneven, seeded daily distribution summing exactly to `total`. */
export function syntheticCounts(o: SyntheticOptions = {}): SyntheticData {
  const start = o.start ?? "2022-01-01";
  const end = o.end ?? "2026-11-25";
  const total = o.total ?? 80_000;
  const spikes = o.spikes ?? [1250, 1800, 2600];
  const rand = prng(o.seed ?? 7);
  const s = dayOf(start);
  const n = dayOf(end) - s + 1;
  const busy = new Set<number>();
  for (let k = 0; k < 6; k++) {
    const at = Math.floor(rand() * n);
    for (let i = 0; i < 14; i++) busy.add(at + i);
  }
  const harsh = o.profile === "harsh";
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const date = new Date((s + i) * 86_400_000);
    const year = i / 365;
    const dow = date.getUTCDay();
    const month = date.getUTCMonth();
    let w: number;
    if (harsh) {
      w = 0.35 + year * 0.45; // growth
      w *= 1 + 0.45 * Math.sin((month / 12) * 2 * Math.PI + 1); // seasons
      if (dow === 0 || dow === 6) w *= 0.15; // weekends
      if (month === 1 && date.getUTCDate() < 15) w *= 0.1; // Spring Festival
      if (busy.has(i)) w *= 3;
      w *= 0.4 + 1.2 * rand(); // noise
    } else {
      w = 1 + year * 0.3; // growth
      w *= 1 + 0.25 * Math.sin((i / 365.25) * 2 * Math.PI); // seasons
      if (dow === 0 || dow === 6) w *= 0.3; // weekends
      if (o.profile !== "smooth") {
        if (month === 1 && date.getUTCDate() < 8) w *= 0.3; // Spring Festival
        if (busy.has(i) && busy.has(i + 4)) w *= 1.8;
      }
      w *= Math.max(0.2, 1 + 0.15 * gauss(rand)); // noise
    }
    weights.push(w);
  }
  const spikeDays: number[] = [];
  while (spikeDays.length < spikes.length) {
    const d = Math.floor(rand() * n);
    if (!spikeDays.includes(d)) spikeDays.push(d);
  }
  const rest = total - spikes.reduce((x, y) => x + y, 0);
  const wsum = weights.reduce((x, y) => x + y, 0);
  const counts = weights.map((w) => Math.floor((w / wsum) * rest));
  let missing = rest - counts.reduce((x, y) => x + y, 0);
  for (let i = 0; missing > 0; i = (i + 7919) % n, missing--) counts[i]++;
  spikeDays.forEach((d, k) => counts[d] = spikes[k]);
  return { start, end, counts, total, spikeDays };
}

/** Figures of {@linkcode simulatePlan}. */
export interface SimulationResult {
  /** Export calls made. */
  calls: number;
  /** Windows split after hitting the cap. */
  splits: number;
  /** Single days over the cap. */
  overcap: number;
  /** Accepted windows (incl. over-cap days). */
  leaves: number;
  /** ceil(total / cap). */
  minimum: number;
  /** Mean declared total of the accepted windows. */
  meanFill: number;
}

/** Run the planner one window at a time against known counts, as the request stage does. */
export function simulatePlan(data: SyntheticData, options: Partial<PlanOptions> = {}): SimulationResult {
  const o = resolvePlanOptions({ ...options, start: data.start, end: data.end });
  const base = dayOf(data.start);
  const prefix = [0];
  for (const c of data.counts) prefix.push(prefix[prefix.length - 1] + c);
  const windows: PlanWindow[] = [];
  let calls = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const [next] = planNext(windows, o);
    if (!next) break;
    calls++;
    const s = dayOf(next.start) - base;
    const e = dayOf(next.end) - base;
    const total = prefix[e + 1] - prefix[s];
    const verdict = judgeWindow(e - s + 1, total, o);
    windows.push({
      id: windows.length + 1,
      start: isoOf(s + base),
      end: isoOf(e + base),
      state: verdict === "split" ? "split" : verdict === "overcap" ? "failed" : "requested",
      total,
      overcap: verdict === "overcap",
    });
  }
  const leaves = windows.filter((w) => w.state !== "split");
  return {
    calls,
    splits: windows.length - leaves.length,
    overcap: windows.filter((w) => w.overcap).length,
    leaves: leaves.length,
    minimum: Math.ceil(data.total / o.cap),
    meanFill: Math.round(leaves.reduce((x, w) => x + w.total!, 0) / leaves.length),
  };
}
