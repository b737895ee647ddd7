/**
 * Planner benchmark: 80,000 records over 2022-01-01..2026-11-25 with uneven
 * density and three single days over 1,000 records. Runs the planner the way
 * the request stage does (one window at a time, judging each by its declared
 * total) and prints export calls against the minimum ceil(80,000 / 1,000) = 80
 * (goal ≤ 1.15×), next to the best possible with perfect knowledge of every
 * day's count (greedy packing) and fixed 7-day windows.
 *
 * Three data profiles (see `export_synthetic.ts`), 10 seeds each; the
 * headline is the `moderate` profile, seed 7.
 *
 * Run: `deno run bench/export_plan_bench.ts`.
 *
 * @module
 */
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

if (import.meta.main) {
  const head = syntheticCounts({ seed: 7, profile: "moderate" });
  const t0 = performance.now();
  const r = simulatePlan(head);
  const ms = performance.now() - t0;
  console.log("规划基准：80 000 条，2022-01-01 至 2026-11-25，单日超 1000 条的日期 3 个（1250、1800、2600）");
  console.log(
    `moderate/seed 7：导出 ${r.calls} 次（拆分 ${r.splits}，超上限单日 ${r.overcap}），最少 ${r.minimum} 次，` +
      `${(r.calls / r.minimum).toFixed(2)}×（目标 ≤ 1.15×）${r.calls <= r.minimum * 1.15 ? " ✓" : " ✗"}；` +
      `完全预知每日条数时 ${perfectCalls(head)} 次；固定 7 天窗口 ${
        Math.ceil(head.counts.length / 7)
      } 次；规划耗时 ${ms.toFixed(0)} ms`,
  );
  console.log("");
  console.log("profile   spikes  seeds  calls(mean/min/max)   ×minimum  perfect  splits");
  for (const profile of ["smooth", "moderate", "harsh"] as const) {
    for (const spikes of [[], [1250, 1800, 2600]]) {
      const calls: number[] = [];
      const perfect: number[] = [];
      let splits = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const d = syntheticCounts({ seed, profile, spikes });
        const s = simulatePlan(d);
        calls.push(s.calls);
        perfect.push(perfectCalls(d));
        splits += s.splits;
      }
      const mean = calls.reduce((a, b) => a + b, 0) / calls.length;
      const pmean = perfect.reduce((a, b) => a + b, 0) / perfect.length;
      console.log(
        `${profile.padEnd(9)} ${String(spikes.length).padStart(6)}  ${String(calls.length).padStart(5)}  ` +
          `${mean.toFixed(1).padStart(6)} / ${Math.min(...calls)} / ${Math.max(...calls)}`.padEnd(22) +
          `${(mean / 80).toFixed(2).padStart(8)}  ${pmean.toFixed(1).padStart(7)}  ${
            (splits / 10).toFixed(1).padStart(6)
          }`,
      );
    }
  }
}
