import assert from "node:assert/strict";
import type { ExportRange, ExportTask } from "../../lib/clm/export_api.ts";
import { NetworkError } from "../../lib/errors/network_error.ts";
import { SessionError } from "../../lib/errors/session_error.ts";
import { addDays, dayOf } from "../../pipelines/export/dates.ts";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { resolvePlanOptions } from "../../pipelines/export/plan.ts";
import { requestStage, type RequestStageOptions } from "../../pipelines/export/request.ts";
import { openStageLog, readStageLog } from "../../pipelines/export/stage_log.ts";

const START = "2024-01-01";
/** 91 days, uneven, one day over the cap of 100 (2024-02-15). */
const COUNTS = Array.from(
  { length: 91 },
  (_, i) => (i === 45 ? 160 : [9, 14, 22, 11, 17, 2, 1][i % 7] + (i > 60 ? 8 : 0)),
);
const END = addDays(START, COUNTS.length - 1);
const plan = resolvePlanOptions({ start: START, end: END, cap: 100, threshold: 100 });
const sum = (r: ExportRange) =>
  COUNTS.slice(dayOf(r.start) - dayOf(START), dayOf(r.end) - dayOf(START) + 1).reduce((a, b) => a + b, 0);

/** A client that exports and counts over COUNTS; `countAnswer` may fail or distort a count. */
function client(
  o: { countAnswer?: (r: ExportRange, n: number) => number | Error; onExport?: (n: number) => void } = {},
) {
  const exports: ExportRange[] = [];
  const counts: ExportRange[] = [];
  return {
    exports,
    counts,
    exportRecords(r: ExportRange): Promise<ExportTask> {
      exports.push(r);
      o.onExport?.(exports.length);
      return Promise.resolve({ taskId: `t${exports.length}`, total: sum(r), requestId: "x", attempts: 1 });
    },
    countRecords(r: ExportRange) {
      counts.push(r);
      const a = o.countAnswer ? o.countAnswer(r, counts.length) : sum(r);
      return a instanceof Error
        ? Promise.reject(a)
        : Promise.resolve({ total: a, requestId: "x", attempts: 1 });
    },
  };
}

async function withLedger(fn: (dir: string, ledger: () => ExportLedger) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "export-count-" });
  const open: ExportLedger[] = [];
  try {
    await fn(dir, () => {
      const l = ExportLedger.open(`${dir}/l.sqlite`);
      open.push(l);
      return l;
    });
  } finally {
    for (const l of open) l.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const leavesOf = (l: ExportLedger) => l.list().filter((w) => w.state !== "split");

Deno.test("request with counts: every export succeeds first time; each count is stored and logged", async () => {
  await withLedger(async (dir, open) => {
    const ledger = open();
    const c = client();
    const planLog = openStageLog(dir, "plan");
    const countLog = openStageLog(dir, "count");
    const requestLog = openStageLog(dir, "request");
    const res = await requestStage({ ledger, client: c, plan, planLog, countLog, requestLog });
    planLog.close();
    countLog.close();
    requestLog.close();
    assert.equal(res.paused, undefined);
    assert.equal(res.split, 0, "no window hits the cap");
    assert.equal(res.overcap, 1);
    assert.equal(res.calls, c.exports.length);
    assert.equal(res.countCalls, c.counts.length);
    assert.ok(res.countCalls > 0);
    assert.equal(res.countsDisabled, undefined);
    const leaves = leavesOf(ledger);
    assert.equal(leaves.length, c.exports.length);
    assert.equal(leaves[0].start, START);
    assert.equal(leaves[leaves.length - 1].end, END);
    const over = leaves.filter((w) => w.reasonCode === "overcap");
    assert.deepEqual(over.map((w) => [w.start, w.end, w.declaredTotal]), [["2024-02-15", "2024-02-15", 160]]);
    // Every count answer is in the ledger and in count.ndjson; every plan says "count".
    const stored = ledger.counts();
    assert.equal(stored.length, c.counts.length);
    for (const q of c.counts) {
      assert.ok(stored.some((s) => s.start === q.start && s.end === q.end && s.total === sum(q)));
    }
    const logged = await readStageLog(dir, "count");
    assert.equal(logged.filter((r) => r.outcome === "ok").length, c.counts.length);
    const plans = await readStageLog(dir, "plan");
    assert.ok(plans.every((p) => p.basis === "count" && p.estimate === sum(p)));
  });
});

Deno.test("request with counts: after a stop, the next run asks for no range again", async () => {
  let fresh: { exports: number; counts: number; windows: string[] };
  {
    const c = client();
    let windows: string[] = [];
    await withLedger(async (_dir, open) => {
      const ledger = open();
      await requestStage({ ledger, client: c, plan });
      windows = leavesOf(ledger).map((w) => `${w.start}..${w.end}`);
    });
    fresh = { exports: c.exports.length, counts: c.counts.length, windows };
  }
  await withLedger(async (_dir, open) => {
    const stop = new AbortController();
    const first = client({ onExport: (n) => n === 4 && stop.abort() });
    const a = await requestStage({ ledger: open(), client: first, plan, signal: stop.signal });
    assert.ok(a.aborted);
    const second = client();
    const ledger = open(); // another process: only the ledger carries over
    const b = await requestStage({ ledger, client: second, plan });
    assert.equal(b.aborted, false);
    const asked = [...first.counts, ...second.counts].map((r) => `${r.start}..${r.end}`);
    assert.equal(new Set(asked).size, asked.length, "no range asked twice over both runs");
    assert.equal(asked.length, fresh.counts, "as many count queries as one uninterrupted run");
    assert.deepEqual(leavesOf(ledger).map((w) => `${w.start}..${w.end}`), fresh.windows);
  });
});

Deno.test("request with counts: a refused session on the count request pauses; the next run continues", async () => {
  await withLedger(async (dir, open) => {
    const ledger = open();
    const expired = client({
      countAnswer: (r, n) =>
        n >= 3
          ? new SessionError("session refused", {
            httpStatus: 401,
            hint: "飞书合同网页登录已失效：请重新复制 cURL。",
          })
          : sum(r),
    });
    const countLog = openStageLog(dir, "count");
    const res = await requestStage({ ledger, client: expired, plan, countLog });
    countLog.close();
    assert.ok(res.paused instanceof SessionError, "the session error itself: refresh the cURL or cookie");
    assert.match(res.paused.hint, /登录已失效/);
    assert.equal(res.aborted, false);
    const log = await readStageLog(dir, "count");
    assert.equal(log[log.length - 1].outcome, "paused");
    assert.equal(ledger.counts().length, 2, "answers before the refusal are kept");
    const again = await requestStage({ ledger, client: client(), plan });
    assert.equal(again.paused, undefined);
    assert.equal(leavesOf(ledger).at(-1)!.end, END);
  });
});

Deno.test("request with counts: other count failures fall back; three in a row switch counts off", async () => {
  await withLedger(async (dir, open) => {
    const ledger = open();
    const down = client({ countAnswer: () => new NetworkError("reset", { hint: "网络连接失败。" }) });
    const planLog = openStageLog(dir, "plan");
    const countLog = openStageLog(dir, "count");
    const res = await requestStage({ ledger, client: down, plan, planLog, countLog });
    planLog.close();
    countLog.close();
    assert.equal(res.paused, undefined);
    assert.match(res.countsDisabled ?? "", /计数查询连续失败 3 次/);
    assert.equal(res.countCalls, 0);
    assert.equal(down.counts.length, 3, "no count query after switching off");
    assert.equal(leavesOf(ledger).at(-1)!.end, END, "the learning planner covered the range");
    const plans = await readStageLog(dir, "plan");
    assert.ok(plans.every((p) => p.basis !== "count"));
    const log = await readStageLog(dir, "count");
    assert.deepEqual(log.map((r) => r.outcome), ["error", "error", "error", "disabled"]);
  });
});

Deno.test("request with counts: counts that disagree with the exports are switched off after three", async () => {
  await withLedger(async (_dir, open) => {
    const ledger = open();
    // The list request selects something else: it sees only half the records.
    const half = client({ countAnswer: (r) => Math.floor(sum(r) / 2) });
    const res = await requestStage({ ledger, client: half, plan });
    assert.match(res.countsDisabled ?? "", /不一致/);
    const leaves = leavesOf(ledger);
    assert.equal(leaves.at(-1)!.end, END);
    assert.ok(leaves.filter((w) => w.reasonCode !== "overcap").every((w) => w.declaredTotal! < 100));
    assert.ok(res.split >= 1, "the export totals still decide");
  });
});

Deno.test("request: counter null, or a client that cannot count, plans without counts", async () => {
  await withLedger(async (_dir, open) => {
    const c = client();
    const o: RequestStageOptions = { ledger: open(), client: c, plan, counter: null };
    const res = await requestStage(o);
    assert.equal(res.countCalls, 0);
    assert.equal(c.counts.length, 0);
    assert.ok(res.split > 0, "the learning planner splits some windows on this data");
  });
});
