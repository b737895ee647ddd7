/**
 * The seeded cooperation-record data set behind the CLM export endpoint.
 *
 * Only per-day counts are generated up front (about 1 800 numbers for
 * 2022-01-01..today), so 80 000 records cost nothing at start-up; a day's
 * records are materialised from the seed when an export counts a partial
 * day, filters by keyword or builds a file.
 *
 * Density is uneven on purpose: weekdays are busier than weekends, a few
 * months are busy (×2.5), later years are busier, each day has noise, and
 * `spikeDays` days hold more than 1 000 records each.
 *
 * @module
 */
import { forkPrng } from "../_prng.ts";
import { dayOfIso, dayOfMs, dayStartMs, isoOfDay, weekday } from "./_days.ts";
import { type CooperationRecord, matchesKeyword, RecordFactory } from "./records.ts";

/** Parameters of a {@linkcode CooperationDataset}. */
export interface CooperationDatasetInit {
  /** Seed. */
  seed: number;
  /** Total number of records. */
  recordCount: number;
  /** First day, `YYYY-MM-DD` (UTC+8). */
  startDate: string;
  /** Last day, `YYYY-MM-DD` (UTC+8). */
  endDate: string;
  /** Days holding more than 1 000 records. */
  spikeDays: number;
}

/** A day and its record count. */
export interface DayCount {
  /** `YYYY-MM-DD` (UTC+8). */
  date: string;
  /** Records created that day. */
  count: number;
}

const SPIKE_MIN = 1001;
const SPIKE_MAX = 2500;
const DAY_CACHE = 8;

/** Seeded cooperation records, counted per day and materialised lazily. */
export class CooperationDataset {
  /** First day number. */
  readonly startDay: number;
  /** Last day number. */
  readonly endDay: number;
  /** Total records. */
  readonly recordCount: number;
  /** Records per day, index 0 = `startDay`. */
  readonly dayCounts: Int32Array;
  readonly #prefix: Float64Array;
  readonly #factory: RecordFactory;
  readonly #cache = new Map<number, CooperationRecord[]>();

  /** Generate the per-day counts. Throws `RangeError` when the spikes cannot fit. */
  constructor(init: CooperationDatasetInit) {
    this.startDay = dayOfIso(init.startDate);
    this.endDay = dayOfIso(init.endDate);
    this.recordCount = init.recordCount;
    this.dayCounts = dayCounts(init, this.startDay, this.endDay);
    this.#prefix = new Float64Array(this.dayCounts.length + 1);
    for (let i = 0; i < this.dayCounts.length; i++) this.#prefix[i + 1] = this.#prefix[i] + this.dayCounts[i];
    this.#factory = new RecordFactory(init.seed, init.recordCount);
  }

  /** First day, `YYYY-MM-DD`. */
  get startDate(): string {
    return isoOfDay(this.startDay);
  }

  /** Last day, `YYYY-MM-DD`. */
  get endDate(): string {
    return isoOfDay(this.endDay);
  }

  /** Records created on `date` (`YYYY-MM-DD`, UTC+8); 0 outside the data set. */
  countOn(date: string): number {
    const i = dayOfIso(date) - this.startDay;
    return i >= 0 && i < this.dayCounts.length ? this.dayCounts[i] : 0;
  }

  /** Days holding more than `cap` records, in date order. */
  daysOver(cap: number): DayCount[] {
    const out: DayCount[] = [];
    this.dayCounts.forEach((count, i) => {
      if (count > cap) out.push({ date: isoOfDay(this.startDay + i), count });
    });
    return out;
  }

  /** The records of one day number (sorted by creation time); cached for a few days. */
  recordsOfDay(day: number): CooperationRecord[] {
    const i = day - this.startDay;
    if (i < 0 || i >= this.dayCounts.length) return [];
    let records = this.#cache.get(day);
    if (records) {
      this.#cache.delete(day);
    } else {
      records = this.#factory.day(day, this.dayCounts[i]);
    }
    this.#cache.set(day, records);
    if (this.#cache.size > DAY_CACHE) this.#cache.delete(this.#cache.keys().next().value!);
    return records;
  }

  /** Records created in `[fromMs, toMs]` (both inclusive) that match `keyword` (all when empty). */
  count(fromMs: number, toMs: number, keyword = ""): number {
    if (toMs < fromMs) return 0;
    const first = Math.max(this.startDay, dayOfMs(fromMs));
    const last = Math.min(this.endDay, dayOfMs(toMs));
    if (last < first) return 0;
    if (keyword !== "") {
      let n = 0;
      for (const _ of this.records(fromMs, toMs, keyword)) n++;
      return n;
    }
    const partial = (day: number) =>
      this.recordsOfDay(day).filter((r) => r.createTime >= fromMs && r.createTime <= toMs).length;
    if (first === last) return partial(first);
    let n = partial(first) + partial(last);
    n += this.#prefix[last - this.startDay] - this.#prefix[first + 1 - this.startDay];
    return n;
  }

  /** Records created in `[fromMs, toMs]` matching `keyword`, in creation-time order. */
  *records(fromMs: number, toMs: number, keyword = ""): Generator<CooperationRecord> {
    const first = Math.max(this.startDay, dayOfMs(fromMs));
    const last = Math.min(this.endDay, dayOfMs(toMs));
    for (let day = first; day <= last; day++) {
      if (this.dayCounts[day - this.startDay] === 0) continue;
      const whole = dayStartMs(day) >= fromMs && dayStartMs(day + 1) - 1 <= toMs;
      for (const r of this.recordsOfDay(day)) {
        if (!whole && (r.createTime < fromMs || r.createTime > toMs)) continue;
        if (keyword !== "" && !matchesKeyword(r, keyword)) continue;
        yield r;
      }
    }
  }

  /** The first `limit` records of {@linkcode CooperationDataset.records}. */
  take(fromMs: number, toMs: number, limit: number, keyword = ""): CooperationRecord[] {
    const out: CooperationRecord[] = [];
    if (limit <= 0) return out;
    for (const r of this.records(fromMs, toMs, keyword)) {
      out.push(r);
      if (out.length >= limit) break;
    }
    return out;
  }
}

/** Per-day counts: spikes first, the rest spread by weight with largest remainders (exact total). */
function dayCounts(init: CooperationDatasetInit, startDay: number, endDay: number): Int32Array {
  const days = endDay - startDay + 1;
  const counts = new Int32Array(days);
  const rng = forkPrng(init.seed, "coop-density");
  // Busy months: 4 random (year, month) pairs in range get ×2.5.
  const months = new Set<string>();
  for (let k = 0; k < 4; k++) months.add(isoOfDay(startDay + rng.int(0, days - 1)).slice(0, 7));
  const weights = new Float64Array(days);
  const startYear = Number(isoOfDay(startDay).slice(0, 4));
  for (let i = 0; i < days; i++) {
    const day = startDay + i;
    const iso = isoOfDay(day);
    const wd = weekday(day);
    let w = wd === 6 ? 0.3 : wd === 0 ? 0.15 : 1;
    if (months.has(iso.slice(0, 7))) w *= 2.5;
    w *= 1 + 0.25 * (Number(iso.slice(0, 4)) - startYear);
    w *= 0.5 + rng.next();
    weights[i] = w;
  }
  // Spike days: distinct weekdays, each with 1 001..2 500 records (≤ 40% of all together).
  let spikeTotal = 0;
  if (init.spikeDays > 0) {
    const weekdays = days - Math.floor(days / 7) * 2;
    if (init.spikeDays > weekdays) {
      throw new RangeError(`export.spikeDays（${init.spikeDays}）多于可用的工作日`);
    }
    const max = Math.min(SPIKE_MAX, Math.floor((0.4 * init.recordCount) / init.spikeDays));
    if (max < SPIKE_MIN) {
      throw new RangeError(
        `export.recordCount（${init.recordCount}）太小，放不下 ${init.spikeDays} 个单日超过 1000 条的日期`,
      );
    }
    for (let k = 0; k < init.spikeDays;) {
      const i = rng.int(0, days - 1);
      const wd = weekday(startDay + i);
      if (counts[i] > 0 || wd === 0 || wd === 6) continue;
      counts[i] = rng.int(SPIKE_MIN, max);
      weights[i] = 0;
      spikeTotal += counts[i];
      k++;
    }
  }
  const rest = init.recordCount - spikeTotal;
  let sum = 0;
  for (let i = 0; i < days; i++) sum += weights[i];
  const shares: { i: number; frac: number }[] = [];
  let given = 0;
  for (let i = 0; i < days; i++) {
    if (weights[i] === 0) continue;
    const exact = (rest * weights[i]) / sum;
    const whole = Math.floor(exact);
    counts[i] += whole;
    given += whole;
    shares.push({ i, frac: exact - whole });
  }
  shares.sort((a, b) => b.frac - a.frac || a.i - b.i);
  if (shares.length === 0) {
    counts[0] += rest;
    return counts;
  }
  for (let k = 0; k < rest - given; k++) counts[shares[k % shares.length].i]++;
  return counts;
}
