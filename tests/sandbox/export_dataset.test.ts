import assert from "node:assert/strict";
import { createSandbox } from "../../sandbox/mod.ts";
import {
  COOPERATION_COLUMNS,
  CooperationDataset,
  EXPORT_ROW_CAP,
  exportFamily,
} from "../../sandbox/scenarios/export/mod.ts";

const ms = (iso: string) => Date.parse(`${iso}+08:00`);
const init = { seed: 42, recordCount: 80_000, startDate: "2022-01-01", endDate: "2026-11-25", spikeDays: 3 };

Deno.test("export data set: 80 000 records generate fast and add up exactly", () => {
  const t0 = performance.now();
  const sandbox = createSandbox({ export: { endDate: "2026-11-25" } });
  const family = exportFamily(sandbox.state);
  const elapsed = performance.now() - t0;
  assert.ok(elapsed < 300, `sandbox + 80k data set took ${elapsed.toFixed(0)} ms`);
  const d = family.dataset;
  assert.equal(d.recordCount, 80_000);
  assert.equal(d.dayCounts.reduce((a, b) => a + b, 0), 80_000);
  assert.equal(d.startDate, "2022-01-01");
  assert.equal(d.endDate, "2026-11-25");
  assert.equal(d.count(ms("2022-01-01T00:00:00"), ms("2026-11-25T23:59:59.999")), 80_000);
});

Deno.test("export data set: uneven density with a few days over 1 000 records", () => {
  const d = new CooperationDataset(init);
  const over = d.daysOver(EXPORT_ROW_CAP);
  assert.equal(over.length, 3);
  for (const day of over) {
    assert.ok(day.count > 1000 && day.count <= 2500, JSON.stringify(day));
    assert.equal(d.countOn(day.date), day.count);
  }
  // Weekdays are much busier than weekends.
  let weekday = 0, weekend = 0, nWeekday = 0, nWeekend = 0;
  d.dayCounts.forEach((n, i) => {
    if (n > 1000) return;
    const dow = new Date((d.startDay + i) * 86_400_000).getUTCDay();
    if (dow === 0 || dow === 6) [weekend, nWeekend] = [weekend + n, nWeekend + 1];
    else [weekday, nWeekday] = [weekday + n, nWeekday + 1];
  });
  assert.ok(weekday / nWeekday > 3 * (weekend / nWeekend), "weekday density ≫ weekend density");
  // Some months are much busier than others.
  const months = new Map<string, number>();
  d.dayCounts.forEach((n, i) => {
    const m = new Date((d.startDay + i) * 86_400_000).toISOString().slice(0, 7);
    months.set(m, (months.get(m) ?? 0) + (n > 1000 ? 0 : n));
  });
  const sorted = [...months.values()].sort((a, b) => a - b);
  assert.ok(sorted.at(-1)! > 2 * sorted[Math.floor(sorted.length / 2)], "busy months exist");
});

Deno.test("export data set: deterministic for a seed, different for another", () => {
  const a = new CooperationDataset(init);
  const b = new CooperationDataset(init);
  const c = new CooperationDataset({ ...init, seed: 7 });
  assert.deepEqual(a.dayCounts, b.dayCounts);
  assert.notDeepEqual(a.dayCounts, c.dayCounts);
  const from = ms("2024-03-01T00:00:00"), to = ms("2024-03-07T23:59:59.999");
  assert.deepEqual(a.take(from, to, 50), b.take(from, to, 50));
});

Deno.test("export data set: records are sorted, unique, inside their day, with every column", () => {
  const d = new CooperationDataset(init);
  const big = d.daysOver(1000)[0];
  const day = Math.round(Date.parse(`${big.date}T00:00:00Z`) / 86_400_000);
  const records = d.recordsOfDay(day);
  assert.equal(records.length, big.count);
  const ids = new Set(records.map((r) => r.id));
  assert.equal(ids.size, records.length);
  for (let i = 1; i < records.length; i++) assert.ok(records[i - 1].createTime <= records[i].createTime);
  const start = ms(`${big.date}T00:00:00`);
  for (const r of records) {
    assert.ok(r.createTime >= start && r.createTime < start + 86_400_000);
    assert.ok(r.operateTime <= r.createTime && r.operateTime >= start);
    assert.match(r.id, new RegExp(`^CR${big.date.replaceAll("-", "")}\\d{5}$`));
  }
  const keys = Object.keys(records[0].fields);
  assert.deepEqual(
    new Set([...keys, "记录ID", "操作时间", "创建时间"]),
    new Set(COOPERATION_COLUMNS),
  );
  assert.ok(COOPERATION_COLUMNS.length >= 20);
});

Deno.test("export data set: counts over partial days agree with the materialised records", () => {
  const d = new CooperationDataset({ ...init, recordCount: 5000, spikeDays: 1 });
  const cases: [string, string][] = [
    ["2023-05-10T13:30:00", "2023-05-10T15:00:00"],
    ["2023-05-10T13:30:00", "2023-06-02T09:00:00"],
    ["2021-12-01T00:00:00", "2022-01-03T12:00:00"],
    ["2026-11-20T00:00:00", "2027-01-01T00:00:00"],
    ["2024-01-01T00:00:00", "2023-12-31T00:00:00"],
  ];
  for (const [a, b] of cases) {
    const from = ms(a), to = ms(b);
    assert.equal(d.count(from, to), [...d.records(from, to)].length, `${a} .. ${b}`);
  }
  const kw = "加急";
  const from = ms("2022-01-01T00:00:00"), to = ms("2026-11-25T23:59:59.999");
  const n = d.count(from, to, kw);
  assert.ok(n > 0 && n < 5000);
  assert.ok(
    [...d.records(from, to, kw)].every((r) => r.fields["备注"] === kw || JSON.stringify(r).includes(kw)),
  );
});

Deno.test("export data set: spike days that cannot fit are refused in Chinese", () => {
  assert.throws(() => new CooperationDataset({ ...init, recordCount: 2000, spikeDays: 2 }), /太小/);
  // The family is created on first use, so a bad date range only fails there.
  const sandbox = createSandbox({ export: { startDate: "2025-01-02", endDate: "2025-01-01" } });
  assert.throws(() => exportFamily(sandbox.state), /早于/);
});
