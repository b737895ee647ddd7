/**
 * The export pipeline, part 1 (part 2 in pipeline_rerun.test.ts; the files run
 * in parallel): a full run and an idle re-run, aborts mid-call and mid-collect
 * then resume, and session expiry.
 */
import assert from "node:assert/strict";
import { SessionError } from "../../lib/errors/session_error.ts";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { formatWindowTable, listRunWindows } from "../../pipelines/export/list.ts";
import { runExport } from "../../pipelines/export/run.ts";
import { readStageLog } from "../../pipelines/export/stage_log.ts";
import { verifyRunDir } from "../../pipelines/export/verify_dir.ts";
import { fakeCollector } from "./_fake_clm.ts";
import {
  assertComplete,
  assertReplayMatchesLedger,
  CAP,
  LOST,
  lostIds,
  mergedIds,
  setup,
  TOTAL,
} from "./_pipeline_env.ts";

Deno.test("pipeline: full run against the fake CLM endpoint, then an idle re-run", async () => {
  const t = await setup();
  try {
    const r = await runExport(t.base());
    assert.equal(r.status, "done", r.message);
    assert.equal(r.exitCode, 0);
    assert.equal(r.verify!.status, "warn", "the over-cap day is a warning");
    assert.deepEqual(r.verify!.checks.filter((c) => c.status === "fail"), []);
    assert.match(r.summary.overcapDays.join(), /2024-02-10（130 条）/);
    assertComplete(mergedIds(r.mergedPath!), t.records, lostIds(t));
    assert.equal(r.summary.mergedRows, TOTAL - LOST);
    assert.equal(r.summary.exportCalls, t.clm.tasks.length);
    assert.ok(t.clm.tasks.length <= 3 * Math.ceil(TOTAL / CAP), `${t.clm.tasks.length} calls`);
    assert.ok(r.summary.exportCalls >= Math.ceil(TOTAL / CAP));
    assert.match(r.mergedPath!, /合同协同_汇总_20240101-20240229\.xlsx$/);

    // What went over the wire.
    const first = t.clm.tasks[0];
    assert.deepEqual(first.body.searchCooperationByCreateTime, [
      Date.UTC(2024, 0, 1) - 8 * 3600_000,
      Date.UTC(2024, 0, 8) - 1 - 8 * 3600_000,
    ]);
    assert.equal(first.body.pageSize, 20, "the captured body template is kept");
    assert.equal(first.body.keyword, "");
    assert.equal(first.headers.get("timezone-offset"), "-480");
    assert.equal(first.headers.get("x-csrf-token"), "csrf-1");
    assert.equal(first.headers.get("cookie"), "session=good; lark_oapi_csrf_token=csrf-1");
    assert.notEqual(first.headers.get("content-length"), "999", "captured framing headers are not replayed");

    // Files, logs and report.
    const windows = listRunWindows(t.runDir);
    const leaves = windows.filter((w) => w.state !== "split");
    assert.ok(leaves.every((w) => w.state === "verified" || w.reasonCode === "overcap"));
    assert.ok(leaves.every((w) => w.filePath && /合同协同_\d{8}-\d{8}( \(\d+\))?\.xlsx$/.test(w.filePath)));
    const lines = await readStageLog(t.runDir, "windows");
    assert.ok(lines.some((l) => l.state === "downloaded" && l.rows! > 0 && l.file));
    const report = await Deno.readTextFile(r.reportPath);
    assert.match(report, /\| ID \| 开始 \| 结束 \|/);
    assert.match(report, /单日超过 100 条（共 130 条），无法按日期拆分/);
    const table = formatWindowTable(windows);
    assert.match(table[0], /^ID\s+开始\s+结束/);
    await assertReplayMatchesLedger(t.runDir);
    assert.match(table[table.length - 1], /^共 \d+ 个窗口：/);

    // Again: nothing is exported or downloaded twice.
    const calls = t.clm.calls;
    const again = fakeCollector(t.clm);
    const r2 = await runExport(t.base({}, again));
    assert.equal(r2.status, "done");
    assert.equal(t.clm.calls, calls);
    assert.equal(again.stats.opened, 0, "no collector needed");
    const standalone = await verifyRunDir(t.runDir);
    assert.ok(standalone.ok);
  } finally {
    await t.close();
  }
});

Deno.test("pipeline: killed mid-call and mid-collect, resumed: nothing missing, nothing duplicated", async () => {
  const t = await setup();
  try {
    // 1. Abort while the 6th export call is in flight (the server has already accepted it).
    const stop1 = new AbortController();
    t.clm.onCall = async (n) => {
      if (n === 6) {
        stop1.abort(new DOMException("killed", "AbortError"));
        await new Promise((r) => setTimeout(r, 30));
      }
    };
    const r1 = await runExport(t.base({ signal: stop1.signal }));
    assert.equal(r1.status, "aborted");
    assert.equal(r1.exitCode, 130);
    t.clm.onCall = undefined;
    const ledger = ExportLedger.open(`${t.runDir}/ledger.sqlite`);
    const pending = ledger.list().filter((w) => w.state === "planned");
    ledger.close();
    assert.equal(pending.length, 1, "the window in flight stays planned");
    assert.equal(pending[0].attempts, 1);

    // 2. Abort during the collect stage, on the 3rd download.
    const stop2 = new AbortController();
    const c2 = fakeCollector(t.clm, {
      onDownload: (n) => {
        if (n === 3) stop2.abort(new DOMException("killed", "AbortError"));
      },
    });
    const r2 = await runExport(t.base({ signal: stop2.signal }, c2));
    assert.equal(r2.status, "aborted");
    assert.equal(c2.stats.closed, 1, "the collector is closed on abort");

    // 3. Finish.
    const r3 = await runExport(t.base());
    assert.equal(r3.status, "done", r3.message);
    assertComplete(mergedIds(r3.mergedPath!), t.records, lostIds(t));
    // The in-flight window was exported twice (the server accepted both) but merged once.
    const ranges = t.clm.tasks.map((x) => `${x.start}/${x.end}`);
    assert.equal(ranges.length - new Set(ranges).size, 1);
    assert.equal(
      r3.summary.exportCalls,
      t.clm.tasks.length - 1,
      "the abandoned call was never recorded as done",
    );
    await assertReplayMatchesLedger(t.runDir);
  } finally {
    await t.close();
  }
});

Deno.test("pipeline: session expiry pauses with a Chinese message; a re-run resumes", async () => {
  const t = await setup();
  try {
    t.clm.expireFromCall = 5;
    const r1 = await runExport(t.base());
    assert.equal(r1.status, "paused");
    assert.equal(r1.exitCode, 1);
    assert.ok(r1.error instanceof SessionError);
    assert.match(r1.message, /登录已失效/);
    assert.match(r1.message, /重新运行即可从中断处继续/);
    const before = listRunWindows(t.runDir);
    assert.equal(before.filter((w) => w.requestedAt !== null).length, 4, "the 4 exports done are kept");
    assert.equal(before.filter((w) => w.state === "planned").length, 1);

    t.clm.expireFromCall = Infinity;
    const r2 = await runExport(t.base());
    assert.equal(r2.status, "done", r2.message);
    assertComplete(mergedIds(r2.mergedPath!), t.records, lostIds(t));
    const ranges = t.clm.tasks.map((x) => `${x.start}/${x.end}`);
    assert.equal(new Set(ranges).size, ranges.length, "no window exported twice");
  } finally {
    await t.close();
  }
});
