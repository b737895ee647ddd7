import assert from "node:assert/strict";
import { perfectCalls, sandboxCounts, simulateCountedPlan } from "../../bench/export_plan_bench.ts";
import { simulatePlan, syntheticCounts } from "../../bench/export_synthetic.ts";
import type { ExportRange } from "../../lib/clm/export_api.ts";
import { addDays, dayOf } from "../../pipelines/export/dates.ts";
import { judgeWindow, type PlanWindow, resolvePlanOptions } from "../../pipelines/export/plan.ts";
import { CountOracle, type KnownCount, planNextCounted } from "../../pipelines/export/plan_count.ts";
import { RangeCounts } from "../../pipelines/export/range_counts.ts";

/** A count source over per-day counts (index 0 = `start`) that records every query. */
function source(start: string, counts: number[]) {
  const queries: ExportRange[] = [];
  const sum = (s: string, e: string) =>
    counts.slice(dayOf(s) - dayOf(start), dayOf(e) - dayOf(start) + 1).reduce((a, b) => a + b, 0);
  return {
    queries,
    sum,
    countRecords(r: ExportRange) {
      queries.push(r);
      return Promise.resolve({ total: sum(r.start, r.end), requestId: "x", attempts: 1 });
    },
  };
}

/** Plan and "export" until covered; returns the windows in order. */
async function drive(start: string, counts: number[], extra: Record<string, number> = {}) {
  const o = resolvePlanOptions({ start, end: addDays(start, counts.length - 1), ...extra });
  const src = source(start, counts);
  const oracle = new CountOracle(src);
  const windows: (PlanWindow & { basis: string; estimate: number | null })[] = [];
  for (let i = 0; i < 5000; i++) {
    const [p] = await planNextCounted(windows, o, oracle);
    if (!p) break;
    const total = src.sum(p.start, p.end);
    const verdict = judgeWindow(dayOf(p.end) - dayOf(p.start) + 1, total, o);
    windows.push({
      id: i + 1,
      start: p.start,
      end: p.end,
      state: verdict === "split" ? "split" : verdict === "overcap" ? "failed" : "requested",
      total,
      overcap: verdict === "overcap",
      basis: p.basis,
      estimate: p.estimate,
    });
  }
  return { windows, src, oracle, o };
}

/** Greedy reference: from each start, the longest window under the threshold (≤ maxDays). */
function greedy(counts: number[], threshold: number, maxDays = 366): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < counts.length;) {
    let e = s;
    let sum = counts[s];
    while (e + 1 < counts.length && e + 1 - s < maxDays && sum + counts[e + 1] < threshold) {
      sum += counts[++e];
    }
    out.push([s, e]);
    s = e + 1;
  }
  return out;
}

Deno.test("range counts: derived through shared boundaries; contradictions refused", () => {
  const k = new RangeCounts();
  assert.equal(k.get(0, 9), undefined);
  assert.ok(k.add(0, 9, 100)); // [0, 9]
  assert.ok(k.add(0, 14, 160)); // [0, 14]
  assert.equal(k.get(10, 14), 60, "[10, 14] = [0, 14] − [0, 9]");
  assert.ok(k.add(15, 20, 30));
  assert.equal(k.get(0, 20), 190);
  assert.equal(k.get(10, 20), 90);
  assert.equal(k.add(10, 14, 61), false, "contradicts what is known");
  assert.equal(k.get(10, 14), 60, "the known count stays");
  assert.ok(k.add(10, 14, 60), "a consistent repeat is fine");
  assert.deepEqual(k.knownFrom(10), [[14, 60], [20, 90]]);
  assert.deepEqual(k.knownFrom(0), [[9, 100], [14, 160], [20, 190]]);
  assert.equal(k.get(5, 9), undefined, "[5, 9] is not derivable");
});

Deno.test("count plan: each window is the longest under the threshold (same as greedy packing)", async () => {
  const counts = Array.from({ length: 200 }, (_, i) => [40, 55, 61, 38, 70, 8, 3][i % 7] + (i % 13) * 3);
  const { windows, src, oracle } = await drive("2024-01-01", counts);
  assert.ok(windows.every((w) => w.state === "requested"), "no export hits the cap");
  assert.ok(windows.every((w) => w.basis === "count" && w.estimate === w.total), "estimates are exact");
  const want = greedy(counts, 1000).map(([s, e]) => [addDays("2024-01-01", s), addDays("2024-01-01", e)]);
  assert.deepEqual(windows.map((w) => [w.start, w.end]), want);
  assert.equal(oracle.calls, src.queries.length);
  const perWindow = src.queries.length / windows.length;
  assert.ok(perWindow <= 4, `${perWindow.toFixed(2)} count queries per window`);
  const keys = src.queries.map((q) => `${q.start}..${q.end}`);
  assert.equal(new Set(keys).size, keys.length, "no range is asked twice");
  // 50 a day: 20 days make exactly the threshold, which would split; 19 days hold 950.
  const flat = await drive("2024-01-01", new Array(60).fill(50));
  assert.deepEqual(flat.windows.map((w) => [w.end, w.total, w.state]), [
    ["2024-01-19", 950, "requested"],
    ["2024-02-07", 950, "requested"],
    ["2024-02-26", 950, "requested"],
    ["2024-02-29", 150, "requested"],
  ]);
});

Deno.test("count plan: a single day over the cap stands alone, flagged overcap by the export", async () => {
  const counts = new Array(60).fill(30);
  counts[25] = 2600;
  counts[26] = 1000; // exactly the cap on one day: alone, but nothing lost
  const { windows } = await drive("2024-03-01", counts);
  const over = windows.filter((w) => w.overcap);
  assert.deepEqual(over.map((w) => [w.start, w.end, w.total]), [["2024-03-26", "2024-03-26", 2600]]);
  const exact = windows.find((w) => w.start === "2024-03-27")!;
  assert.deepEqual([exact.end, exact.total, exact.state], ["2024-03-27", 1000, "requested"]);
  assert.ok(windows.every((w) => w.state !== "split"));
  assert.equal(windows[windows.length - 1].end, "2024-04-29");
});

Deno.test("count plan: known counts are used without asking; a stored answer is never asked again", async () => {
  const counts = new Array(30).fill(50);
  const o = { start: "2024-01-01", end: "2024-01-30" };
  const src = source("2024-01-01", counts);
  const stored: KnownCount[] = [
    { start: "2024-01-01", end: "2024-01-19", total: 950 },
    { start: "2024-01-01", end: "2024-01-20", total: 1000 },
  ];
  const oracle = new CountOracle(src, { store: { counts: () => stored, putCount: (c) => stored.push(c) } });
  assert.equal(oracle.prime([]), 0);
  const [w] = await planNextCounted([], o, oracle);
  assert.deepEqual([w.start, w.end, w.estimate], ["2024-01-01", "2024-01-19", 950]);
  assert.equal(src.queries.length, 0, "answered from the stored counts");
  // The next window's prefix [01-20, 01-20] is derived from the two stored counts.
  const [w2] = await planNextCounted(
    [{ id: 1, start: w.start, end: w.end, state: "requested", total: 950 }],
    o,
    oracle,
  );
  assert.deepEqual([w2.start, w2.end, w2.estimate], ["2024-01-20", "2024-01-30", 550]);
  assert.ok(src.queries.length >= 1);
  assert.equal(stored.length, 2 + src.queries.length, "every answer is stored");
});

Deno.test("count plan: an export at the threshold bounds the search even against a wrong count", async () => {
  const o = resolvePlanOptions({ start: "2024-01-01", end: "2024-01-31" });
  // The count source says 20/day; the export said 1200 for 01-01..01-20.
  const src = source("2024-01-01", new Array(31).fill(20));
  const oracle = new CountOracle(src);
  const split: PlanWindow = { id: 1, start: "2024-01-01", end: "2024-01-20", state: "split", total: 1200 };
  const [w] = await planNextCounted([split], o, oracle);
  assert.equal(w.start, "2024-01-01");
  assert.ok(dayOf(w.end) < dayOf("2024-01-20"), `progress: ${w.end}`);
  assert.equal(w.parentId, 1);
});

Deno.test("count plan: minDays and maxDays are respected; several windows at once never overlap", async () => {
  const counts = new Array(40).fill(0);
  counts[3] = 1500;
  const { windows } = await drive("2024-01-01", counts, { minDays: 2, initialDays: 7 });
  const over = windows.find((w) => w.overcap)!;
  assert.deepEqual([over.start, over.end], ["2024-01-04", "2024-01-05"]);
  const few = await drive("2024-01-01", new Array(40).fill(1), { maxDays: 10, initialDays: 7 });
  assert.deepEqual(few.windows.map((w) => w.start), ["2024-01-01", "2024-01-11", "2024-01-21", "2024-01-31"]);
  const src = source("2024-01-01", new Array(90).fill(60));
  const next = await planNextCounted([], { start: "2024-01-01", end: "2024-03-30" }, new CountOracle(src), 3);
  assert.deepEqual(next.map((w) => [w.start, w.end]), [
    ["2024-01-01", "2024-01-16"],
    ["2024-01-17", "2024-02-01"],
    ["2024-02-02", "2024-02-17"],
  ]);
});

Deno.test("count plan: 80,000 uneven records — exports at the greedy optimum, ≤ 1.15× the minimum", async () => {
  for (const data of [syntheticCounts({ seed: 7, profile: "moderate" }), sandboxCounts()]) {
    const counted = await simulateCountedPlan(data);
    const learning = simulatePlan(data);
    assert.equal(counted.minimum, 80);
    assert.equal(counted.calls, perfectCalls(data), "as good as knowing every day's count");
    assert.ok(counted.calls <= Math.ceil(80 * 1.15), `${counted.calls} export calls`);
    assert.equal(counted.splits, 0);
    assert.equal(counted.overcap, data.spikeDays.length);
    assert.ok(learning.calls > counted.calls, `learning ${learning.calls} vs counts ${counted.calls}`);
    assert.ok(counted.countCalls <= 4 * counted.calls, `${counted.countCalls} count calls`);
  }
});
