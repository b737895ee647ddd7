/**
 * Planner benchmark: 80,000 records over 2022-01-01..2026-11-25 with uneven
 * density and three single days over 1,000 records. Runs both planners the
 * way the request stage does (one window at a time, judging each by its
 * declared total) and prints export calls against the minimum
 * ceil(80,000 / 1,000) = 80 (goal ≤ 1.15×):
 *
 * - `learning`: no count source; density learned from export totals only;
 * - `with counts`: exact counts from the list request (count calls reported
 *   apart: they are not export calls).
 *
 * Also printed: the best possible with perfect knowledge of every day's count
 * (greedy packing), fixed 7-day windows, and both planners on the sandbox's
 * own 80,000-record data set.
 *
 * Three data profiles (see `export_synthetic.ts`), 10 seeds each; the
 * headline is the `moderate` profile, seed 7.
 *
 * Run: `deno run bench/export_plan_bench.ts`.
 *
 * @module
 */
import { dayOf, isoOf } from "../pipelines/export/dates.ts";
import {
  judgeWindow,
  type PlanOptions,
  type PlanWindow,
  resolvePlanOptions,
} from "../pipelines/export/plan.ts";
import { CountOracle, planNextCounted } from "../pipelines/export/plan_count.ts";
import { CooperationDataset } from "../sandbox/clm/dataset.ts";
import { simulatePlan, syntheticCounts, type SyntheticData } from "./export_synthetic.ts";

/** Calls with perfect knowledge: greedy packing of days under the cap (a day over it alone). */
export function perfectCalls(d: SyntheticData, cap = 1000): number {
  let calls = 0;
  let cur = 0;
  let open = false;
  for (const c of d.counts) {
    if (c >= cap) {
      calls += open ? 2 : 1;
      cur = 0;
      open = false;
    } else if (cur + c > cap - 1) {
      calls++;
      cur = c;
      open = true;
    } else {
      cur += c;
      open = true;
    }
  }
  return calls + (open ? 1 : 0);
}

/** Figures of {@linkcode simulateCountedPlan}. */
export interface CountedSimulation {
  /** Export calls made. */
  calls: number;
  /** Count queries made. */
  countCalls: number;
  /** Windows split after hitting the cap. */
  splits: number;
  /** Single days over the cap. */
  overcap: number;
  /** ceil(total / cap). */
  minimum: number;
}

/**
 * Run the count-based planner one window at a time against known counts, as
 * the request stage does with a count source; every count query is answered
 * from the same counts.
 */
export async function simulateCountedPlan(
  data: SyntheticData,
  options: Partial<PlanOptions> = {},
): Promise<CountedSimulation> {
  const o = resolvePlanOptions({ ...options, start: data.start, end: data.end });
  const base = dayOf(data.start);
  const prefix = [0];
  for (const c of data.counts) prefix.push(prefix[prefix.length - 1] + c);
  const sum = (s: number, e: number) => prefix[e + 1] - prefix[s];
  const oracle = new CountOracle({
    countRecords: (r) =>
      Promise.resolve({
        total: sum(dayOf(r.start) - base, dayOf(r.end) - base),
        requestId: "sim",
        attempts: 1,
      }),
  });
  const windows: PlanWindow[] = [];
  let calls = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const [next] = await planNextCounted(windows, o, oracle);
    if (!next) break;
    calls++;
    const s = dayOf(next.start) - base;
    const e = dayOf(next.end) - base;
    const total = sum(s, e);
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
  return {
    calls,
    countCalls: oracle.calls,
    splits: windows.filter((w) => w.state === "split").length,
    overcap: windows.filter((w) => w.overcap).length,
    minimum: Math.ceil(data.total / o.cap),
  };
}

/** The sandbox's default data set (seed 42, 80,000 records, 2022-01-01..`end`) as per-day counts. */
export function sandboxCounts(end = "2026-11-25"): SyntheticData {
  const ds = new CooperationDataset({
    seed: 42,
    recordCount: 80_000,
    startDate: "2022-01-01",
    endDate: end,
    spikeDays: 3,
  });
  const counts = Array.from(ds.dayCounts);
  const spikeDays = counts.flatMap((c, i) => (c > 1000 ? [i] : []));
  return { start: "2022-01-01", end, counts, total: ds.recordCount, spikeDays };
}

const ratio = (calls: number, minimum: number) => (calls / minimum).toFixed(2);
const mark = (calls: number, minimum: number) => (calls <= minimum * 1.15 ? "✓" : "✗");

if (import.meta.main) {
  const head = syntheticCounts({ seed: 7, profile: "moderate" });
  const t0 = performance.now();
  const r = simulatePlan(head);
  const ms = performance.now() - t0;
  const t1 = performance.now();
  const c = await simulateCountedPlan(head);
  const msCounted = performance.now() - t1;
  console.log("规划基准：80 000 条，2022-01-01 至 2026-11-25，单日超 1000 条的日期 3 个（1250、1800、2600）");
  console.log(
    `moderate/seed 7，learning（只从导出声明条数学习）：导出 ${r.calls} 次（拆分 ${r.splits}，超上限单日 ${r.overcap}），` +
      `最少 ${r.minimum} 次，${ratio(r.calls, r.minimum)}×（目标 ≤ 1.15×）${mark(r.calls, r.minimum)}；` +
      `规划耗时 ${ms.toFixed(0)} ms`,
  );
  console.log(
    `moderate/seed 7，with counts（列表请求计数）：导出 ${c.calls} 次（拆分 ${c.splits}，超上限单日 ${c.overcap}），` +
      `${ratio(c.calls, c.minimum)}× ${mark(c.calls, c.minimum)}；计数查询 ${c.countCalls} 次` +
      `（每个窗口 ${(c.countCalls / c.calls).toFixed(1)} 次）；规划耗时 ${msCounted.toFixed(0)} ms`,
  );
  console.log(
    `对照：完全预知每日条数时 ${perfectCalls(head)} 次；固定 7 天窗口 ${
      Math.ceil(head.counts.length / 7)
    } 次`,
  );
  console.log(
    `摘要：learning: ${ratio(r.calls, r.minimum)}×; with counts: ${ratio(c.calls, c.minimum)}× ` +
      `(${c.countCalls} count calls)`,
  );
  const sb = sandboxCounts();
  const sr = simulatePlan(sb);
  const sc = await simulateCountedPlan(sb);
  console.log(
    `沙箱数据集（种子 42，80 000 条，单日超上限 ${sb.spikeDays.length} 天）：learning 导出 ${sr.calls} 次 ` +
      `${ratio(sr.calls, sr.minimum)}×；with counts 导出 ${sc.calls} 次 ${ratio(sc.calls, sc.minimum)}×，` +
      `计数查询 ${sc.countCalls} 次；完全预知 ${perfectCalls(sb)} 次`,
  );
  console.log("");
  console.log(
    "profile   spikes  seeds  learning calls(mean/min/max) ×min   counts calls(mean/max) ×min  count calls  perfect",
  );
  for (const profile of ["smooth", "moderate", "harsh"] as const) {
    for (const spikes of [[], [1250, 1800, 2600]]) {
      const calls: number[] = [];
      const counted: number[] = [];
      const queries: number[] = [];
      const perfect: number[] = [];
      for (let seed = 1; seed <= 10; seed++) {
        const d = syntheticCounts({ seed, profile, spikes });
        calls.push(simulatePlan(d).calls);
        const s = await simulateCountedPlan(d);
        counted.push(s.calls);
        queries.push(s.countCalls);
        perfect.push(perfectCalls(d));
      }
      const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
      console.log(
        `${profile.padEnd(9)} ${String(spikes.length).padStart(6)}  ${String(calls.length).padStart(5)}  ` +
          `${mean(calls).toFixed(1).padStart(6)} / ${Math.min(...calls)} / ${Math.max(...calls)}`.padEnd(29) +
          `${(mean(calls) / 80).toFixed(2).padStart(5)}   ` +
          `${mean(counted).toFixed(1).padStart(6)} / ${Math.max(...counted)}`.padEnd(22) +
          `${(mean(counted) / 80).toFixed(2).padStart(5)}  ${mean(queries).toFixed(1).padStart(11)}  ` +
          `${mean(perfect).toFixed(1).padStart(7)}`,
      );
    }
  }
}
