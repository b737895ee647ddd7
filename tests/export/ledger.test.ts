import assert from "node:assert/strict";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { formatWindowTable } from "../../pipelines/export/list.ts";
import { findWindow, replan, resolveRange, retryFailed } from "../../pipelines/export/_run_setup.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";

Deno.test("ledger: state survives reopening; guarded updates; rollback on error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-ledger-" });
  try {
    const a = ExportLedger.open(`${dir}/l.sqlite`);
    const w = a.insert({ start: "2022-01-01", end: "2022-01-07" });
    assert.equal(w.state, "planned");
    const b = ExportLedger.open(`${dir}/l.sqlite`);
    assert.ok(a.update(w.id, { state: "requested", taskId: "t1", declaredTotal: 5 }, ["planned"]));
    assert.equal(
      b.update(w.id, { state: "requested", taskId: "t2" }, ["planned"]),
      undefined,
      "second taker loses",
    );
    assert.throws(() =>
      a.transaction(() => {
        a.update(w.id, { state: "failed" });
        throw new Error("boom");
      })
    );
    a.setMeta("range_start", "2022-01-01");
    a.close();
    b.close();
    const c = ExportLedger.open(`${dir}/l.sqlite`);
    const again = c.get(w.id)!;
    assert.equal(again.state, "requested", "rolled back");
    assert.equal(again.taskId, "t1");
    assert.equal(c.getMeta("range_start"), "2022-01-01");
    c.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ledger: retry-failed, only-window lookup, range rules, the Chinese list", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-ledger-" });
  const l = ExportLedger.open(`${dir}/l.sqlite`);
  try {
    const a = l.insert({ start: "2022-01-01", end: "2022-01-07" });
    const b = l.insert({ start: "2022-01-08", end: "2022-01-08" });
    const s = l.insert({ start: "2022-01-09", end: "2022-01-20" });
    l.fail(a.id, "delivery_timeout", "超过 15 分钟未收到导出完成消息", { taskId: "x", requestedAt: 5 });
    l.fail(b.id, "overcap", "单日超过 1000 条（共 1500 条），无法按日期拆分", { declaredTotal: 1500 });
    l.update(s.id, { state: "split", declaredTotal: 2000 });
    assert.equal(retryFailed(l), 1, "a day over the cap is not retried");
    const ra = l.get(a.id)!;
    assert.deepEqual([ra.state, ra.taskId, ra.requestedAt, ra.reason], ["planned", null, null, null]);
    assert.equal(replan(l, l.get(b.id)!), false);
    assert.equal(findWindow(l, "20220101-20220107").id, a.id);
    assert.equal(findWindow(l, String(b.id)).id, b.id);
    assert.throws(
      () => findWindow(l, "20220109-20220120"),
      (e) => e instanceof ConfigError && /已拆分/.test(e.hint),
    );
    assert.throws(() => findWindow(l, "99"), (e) => e instanceof ConfigError && /--list/.test(e.hint));

    const now = Date.UTC(2024, 0, 31, 20, 0, 0); // 2024-02-01 04:00 in UTC+8
    assert.deepEqual(resolveRange(l, { start: "2022-01-01", end: "" }, now, -480), {
      start: "2022-01-01",
      end: "2024-02-01",
    });
    assert.equal(
      resolveRange(l, { start: "2022-01-01", end: "" }, now + 86_400_000 * 3, -480).end,
      "2024-02-01",
      "a resumed run keeps its end",
    );
    assert.match(resolveRange(l, { start: "2021-12-01", end: "2024-03-01" }, now, -480).note!, /扩展/);
    assert.throws(
      () => resolveRange(l, { start: "2022-06-01", end: "2024-03-01" }, now, -480),
      (e) => e instanceof ConfigError && /只能扩大/.test(e.hint),
    );

    const table = formatWindowTable(l.list());
    assert.match(table[0], /^ID\s+开始\s+结束\s+天数\s+状态\s+声明条数\s+文件行数\s+导出次数\s+说明$/);
    assert.ok(
      table.some((r) => /2022-01-08\s+2022-01-08\s+1\s+失败\s+1500\s+—\s+0\s+单日超过 1000 条/.test(r)),
    );
    assert.equal(table[table.length - 1], "共 3 个窗口：已规划 1，失败 1，已拆分 1");
  } finally {
    l.close();
    await Deno.remove(dir, { recursive: true });
  }
});
