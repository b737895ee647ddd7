import assert from "node:assert/strict";
import type { ExportRange, ExportTask } from "../../lib/clm/export_api.ts";
import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { resolvePlanOptions } from "../../pipelines/export/plan.ts";
import { requestStage } from "../../pipelines/export/request.ts";
import { openStageLog, readStageLog } from "../../pipelines/export/stage_log.ts";

const plan = resolvePlanOptions({ start: "2024-01-01", end: "2024-03-31", cap: 100, threshold: 100 });

function client(answer: (r: ExportRange, n: number) => ExportTask | Error) {
  let n = 0;
  return {
    calls: () => n,
    exportRecords(r: ExportRange): Promise<ExportTask> {
      const a = answer(r, ++n);
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
  };
}

Deno.test("request: plans and exports until the range is covered; logs every decision", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-request-" });
  const ledger = ExportLedger.open(`${dir}/l.sqlite`);
  const planLog = openStageLog(dir, "plan");
  const requestLog = openStageLog(dir, "request");
  try {
    // 10 records a day, so 7-day windows hold 70, longer ones overflow at 10+ days.
    const c = client((r, n) => ({
      taskId: `t${n}`,
      total: 10 * (Date.parse(r.end) - Date.parse(r.start) + 86_400_000) / 86_400_000,
      requestId: "x",
      attempts: 1,
    }));
    const res = await requestStage({ ledger, client: c, plan, planLog, requestLog });
    assert.equal(res.paused, undefined);
    const leaves = ledger.list().filter((w) => w.state !== "split");
    assert.ok(leaves.every((w) => w.state === "requested" && w.declaredTotal! < 100));
    assert.equal(leaves[0].start, "2024-01-01");
    assert.equal(leaves[leaves.length - 1].end, "2024-03-31");
    assert.equal(res.calls, c.calls());
    const plans = await readStageLog(dir, "plan");
    const reqs = await readStageLog(dir, "request");
    assert.equal(plans.length, ledger.list().length);
    assert.equal(reqs.length, c.calls());
    assert.ok(reqs.every((r) => r.task_id && typeof r.total === "number"));
  } finally {
    planLog.close();
    requestLog.close();
    ledger.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("request: one failed export fails its window and goes on; three in a row pause", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-request-" });
  const ledger = ExportLedger.open(`${dir}/l.sqlite`);
  try {
    const bad = () => new BadRequestError("导出任务过多", { code: 1001, hint: "导出任务过多，请稍后再试。" });
    const c = client((
      _r,
      n,
    ) => (n === 2 || n >= 4 ? bad() : { taskId: `t${n}`, total: 50, requestId: "x", attempts: 1 }));
    const res = await requestStage({ ledger, client: c, plan });
    assert.ok(res.paused);
    assert.match(res.paused.hint, /导出接口连续失败：导出任务过多/);
    const failed = ledger.list().filter((w) => w.state === "failed");
    assert.equal(failed.length, 4, "the lone failure and the three in a row");
    assert.ok(failed.every((w) => w.reasonCode === "export_error" && /导出任务过多/.test(w.reason!)));
    assert.equal(c.calls(), 6);
  } finally {
    ledger.close();
    await Deno.remove(dir, { recursive: true });
  }
});
