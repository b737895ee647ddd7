/**
 * The planner's density model (internal): records per "weighted day", where
 * a weekday weighs 1 and a Saturday or Sunday weighs `weekend`, measured over
 * the last `span` weighted days, optionally extrapolating its recent change.
 * The three parameters are tuned on the windows already exported (mean
 * squared log error of one-step-ahead predictions), and the share of the cap
 * to aim at is chosen from the prediction errors seen so far.
 *
 * @module
 */

/** A window with a known total, as the model sees it (day numbers). */
export interface Sample {
  /** First day number. */
  s: number;
  /** Last day number. */
  e: number;
  /** Declared total. */
  total: number;
}

/** A tuned model. */
export interface DensityModel {
  /** Weight of a Saturday/Sunday relative to a weekday. */
  weekend: number;
  /** Weighted days the density is measured over. */
  span: number;
  /** Share of the recent change in density carried forward. */
  trend: number;
  /** Records per weighted day expected next. */
  density: number;
  /** Share of the threshold an estimate-only window should aim at. */
  fill: number;
}

const WEEKENDS = [1, 0.75, 0.5, 0.25, 0.1];
const SPANS = [20, 10, 30, 45, 60];
const TRENDS = [0, 0.5, 1];
/** Leaves looked back at when tuning. */
const LOOKBACK = 40;
/** How full parts sized from an exactly known total come out (measured in simulations). */
const REMAINDER_FILL = 0.95;
/** Windows shorter than this (days) are too noisy to judge the model by. */
const MIN_DAYS = 4;
/** The model used until it can be tuned. */
const DEFAULT_PARAMS: Params = { weekend: 1, span: 20, trend: 0 };
/** Judged windows needed before tuning the parameters. */
const MIN_TUNE = 3;
/** Fewer samples than this: keep the configured fill. */
const MIN_SAMPLES = 8;

/** Weekend days in `[s, e]` (day 0 = 1970-01-01, a Thursday). */
export function weekendDays(s: number, e: number): number {
  const count = (d: number) => {
    // Saturdays and Sundays in [0, d): day 2 is the first Saturday.
    const full = Math.floor(d / 7);
    const rem = d % 7;
    return full * 2 + (rem > 2 ? Math.min(2, rem - 2) : 0);
  };
  return count(e + 1) - count(s);
}

/** Weighted days in `[s, e]`. */
export function weightedDays(s: number, e: number, weekend: number): number {
  const we = weekendDays(s, e);
  return e - s + 1 - we + we * weekend;
}

/**
 * Density over (up to) `span` weighted days of samples[0..to), ending `skip`
 * weighted days before the end; null when fewer than `need` weighted days are there.
 */
function trailing(
  samples: readonly Sample[],
  weekend: number,
  span: number,
  to = samples.length,
  skip = 0,
  need = 1e-9,
) {
  let seen = 0;
  let days = 0;
  let records = 0;
  for (let i = to - 1; i >= 0 && days < span; i--) {
    const wd = Math.max(1e-9, weightedDays(samples[i].s, samples[i].e, weekend));
    const usable = Math.min(wd, Math.max(0, seen + wd - skip));
    seen += wd;
    const take = Math.min(usable, span - days);
    days += take;
    records += (samples[i].total * take) / wd;
  }
  return days >= need ? records / days : null;
}

/** Predicted density: the recent density, plus `trend` times its change from the span before. */
function predict(samples: readonly Sample[], p: Params, to = samples.length): number | null {
  const d1 = trailing(samples, p.weekend, p.span, to);
  if (d1 === null || p.trend === 0) return d1;
  const d2 = trailing(samples, p.weekend, p.span, to, p.span, p.span / 2);
  return d2 === null ? d1 : Math.max(d1 / 2, d1 + p.trend * (d1 - d2));
}

function meanSquaredLog(r: readonly number[]): number {
  return r.reduce((acc, x) => acc + Math.log(x) ** 2, 0) / Math.max(1, r.length);
}

interface Params {
  weekend: number;
  span: number;
  trend: number;
}

/** One-step-ahead ratios actual / predicted over the recent samples. */
function ratios(samples: readonly Sample[], p: Params): number[] {
  const out: number[] = [];
  const from = Math.max(1, samples.length - LOOKBACK);
  for (let i = from; i < samples.length; i++) {
    const w = samples[i];
    if (w.e - w.s + 1 < MIN_DAYS) continue;
    const d = predict(samples, p, i);
    if (d !== null) out.push((w.total + 5) / (d * weightedDays(w.s, w.e, p.weekend) + 5));
  }
  return out;
}

/**
 * Tune the model on `samples` (accepted windows in date order). Returns null
 * when there is nothing to go on.
 */
export function tuneModel(
  samples: readonly Sample[],
  defaultFill: number,
  threshold: number,
): DensityModel | null {
  if (samples.length === 0) return null;
  // Until a few windows can be judged, keep the plain model (no weekend weight, no trend).
  let best = { p: DEFAULT_PARAMS, err: 0, r: ratios(samples, DEFAULT_PARAMS) };
  if (best.r.length >= MIN_TUNE) {
    best.err = meanSquaredLog(best.r);
    for (const weekend of WEEKENDS) {
      for (const span of SPANS) {
        for (const trend of TRENDS) {
          const p = { weekend, span, trend };
          const r = ratios(samples, p);
          const err = meanSquaredLog(r);
          if (err < best.err - 1e-9) best = { p, err, r };
        }
      }
    }
  }
  const { p, r } = best;
  const density = predict(samples, p)!;
  const fill = r.length >= MIN_SAMPLES ? chooseFill(r, threshold, defaultFill) : defaultFill;
  return { weekend: p.weekend, span: p.span, trend: p.trend, density, fill };
}

/**
 * The aim (share of the threshold) that maximises expected records per
 * export call given the prediction ratios seen: a window aimed at `t` holds
 * `r·t` records when `r·t < threshold`; otherwise the call is lost and the
 * records are fetched by parts sized from the exact total, which fill about
 * `REMAINDER_FILL` of the threshold. `defaultFill` is kept when nothing beats it.
 */
export function chooseFill(r: readonly number[], threshold: number, defaultFill: number): number {
  let bestFill = defaultFill;
  let bestRate = -1;
  for (let f = 0.5; f <= 1.0001; f += 0.01) {
    const t = f * threshold;
    let records = 0;
    let calls = 0;
    for (const x of r) {
      const n = x * t;
      if (n < threshold) {
        records += n;
        calls += 1;
      } else {
        // the lost call; its records then go into parts sized from the exact
        // total, which fill about REMAINDER_FILL of the threshold
        records += n;
        calls += 1 + n / (REMAINDER_FILL * threshold);
      }
    }
    const rate = records / calls;
    if (rate > bestRate) {
      bestRate = rate;
      bestFill = f;
    }
  }
  return Math.min(0.97, Math.max(0.5, bestFill));
}
