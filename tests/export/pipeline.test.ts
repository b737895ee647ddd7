import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import * as XLSX from "xlsx";
import { LarkError } from "../../lib/errors/lark_error.ts";
import { SessionError } from "../../lib/errors/session_error.ts";
import { ExportConfigSchema } from "../../pipelines/export/config.ts";
import { createExportContext, resolveExportAuth } from "../../pipelines/export/context.ts";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { formatWindowTable, listRunWindows } from "../../pipelines/export/list.ts";
import { runExport, type RunExportOptions } from "../../pipelines/export/run.ts";
import { replayWindows } from "../../pipelines/export/replay.ts";
import { readStageLog } from "../../pipelines/export/stage_log.ts";
import type { ExportWindow } from "../../pipelines/export/window.ts";
import { verifyRunDir } from "../../pipelines/export/verify_dir.ts";
import { curlFor, FakeClm, fakeCollector, makeRecords, pipelineConfigInput } from "./_fake_clm.ts";
import { QUICK } from "../_test_size.ts";

const CAP = 100;
const START = "2024-01-01";
/** 60 days, uneven, with one day over the cap (130 on 2024-02-10). */
const COUNTS = Array.from(
  { length: 60 },
  (_, i) => (i === 40 ? 130 : [12, 30, 45, 28, 60, 5, 2][i % 7] + (i > 30 ? 15 : 0)),
);
const TOTAL = COUNTS.reduce((a, b) => a + b, 0);
const LOST = 130 - CAP;

async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "export-pipeline-" });
  const records = makeRecords(START, COUNTS);
  const clm = new FakeClm(records, CAP);
  clm.start();
  const config = ExportConfigSchema.parse(pipelineConfigInput(`${dir}/run`, CAP));
  const curl = curlFor(clm.url);
  const auth = await resolveExportAuth(config, curl);
  const ctx = await createExportContext(config, auth);
  const base = (extra: Partial<RunExportOptions> = {}, collector = fakeCollector(clm)): RunExportOptions => ({
    config,
    client: ctx.api,
    fingerprint: ctx.fingerprint,
    collector: collector.factory,
    ...extra,
  });
  return {
    dir,
    clm,
    records,
    config,
    base,
    runDir: `${dir}/run`,
    close: async () => {
      await clm.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The fields the stage files carry (all but the notice text/time, the change time and attempts). */
function carried(windows: readonly ExportWindow[]) {
  return windows.map((w) => ({
    id: w.id,
    start: w.start,
    end: w.end,
    state: w.state,
    reasonCode: w.reasonCode,
    reason: w.reason,
    declaredTotal: w.declaredTotal,
    taskId: w.taskId,
    requestedAt: w.requestedAt,
    noticeId: w.noticeId,
    filePath: w.filePath,
    rowsInFile: w.rowsInFile,
    sha256: w.sha256,
    parentId: w.parentId,
  })).sort((a, b) => a.id - b.id);
}

/** The run directory's NDJSON files alone rebuild the ledger's window table. */
async function assertReplayMatchesLedger(runDir: string) {
  const invalid: string[] = [];
  const replayed = await replayWindows(runDir, { onInvalid: (e) => invalid.push(e.message) });
  assert.deepEqual(invalid, [], "every stage line matches its schema");
  assert.deepEqual(carried(replayed), carried(listRunWindows(runDir)));
}

function mergedIds(path: string): string[] {
  const wb = XLSX.read(Deno.readFileSync(path), { type: "array", dense: true } as XLSX.ParsingOptions);
  const aoa = XLSX.utils.sheet_to_json<unknown[]>(
    wb.Sheets[wb.SheetNames[0]],
    { header: 1, raw: true } as XLSX.Sheet2JSONOpts,
  );
  assert.equal(aoa[0][0], "记录ID");
  return aoa.slice(1).map((r) => String(r[0]));
}

/** Every record except the ones past the cap on the over-cap day, each exactly once. */
function assertComplete(ids: string[], records: { id: string }[], lostIds: Set<string>) {
  assert.equal(new Set(ids).size, ids.length, "no duplicates");
  const want = records.map((r) => r.id).filter((id) => !lostIds.has(id));
  assert.deepEqual([...ids].sort(), want.sort(), "nothing missing");
}

function lostIds(t: Awaited<ReturnType<typeof setup>>): Set<string> {
  return new Set(t.clm.recordsIn("2024-02-10", "2024-02-10").slice(CAP).map((r) => r.id));
}

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

Deno.test("pipeline: totals only in the bot message, a broken download, --only-window and --retry-failed", async () => {
  const t = await setup();
  try {
    t.clm.omitTotal = true;
    const collector = fakeCollector(t.clm, { corruptOnce: new Set(["msg-task-2"]) });
    const r = await runExport(t.base({}, collector));
    assert.equal(r.status, "done", r.message);
    assertComplete(mergedIds(r.mergedPath!), t.records, lostIds(t));
    const w2 = listRunWindows(t.runDir).find((w) => w.taskId === "task-2")!;
    assert.equal(w2.declaredTotal, t.clm.tasks[1].total, "count taken from the message");
    assert.ok(t.clm.tasks.length <= 3 * Math.ceil(TOTAL / CAP), `${t.clm.tasks.length} calls`);

    // Re-export one window on request; then a failed one comes back with --retry-failed.
    const target = listRunWindows(t.runDir).find((w) => w.state === "verified")!;
    const ledger = ExportLedger.open(`${t.runDir}/ledger.sqlite`);
    ledger.fail(target.id, "bad_file", "测试：文件损坏");
    ledger.close();
    const calls = t.clm.calls;
    const only = await runExport(
      t.base({ onlyWindow: target.start.replaceAll("-", "") + "-" + target.end.replaceAll("-", "") }),
    );
    assert.equal(t.clm.calls, calls + 1, "one export for that window only");
    assert.equal(only.status, "done", only.message);
    const again = ExportLedger.open(`${t.runDir}/ledger.sqlite`);
    again.fail(target.id, "delivery_timeout", "测试：超时");
    again.close();
    const retried = await runExport(t.base({ retryFailed: true }));
    assert.equal(retried.status, "done");
    assert.equal(t.clm.calls, calls + 2);
    await assertReplayMatchesLedger(t.runDir);
  } finally {
    await t.close();
  }
});

// A real child process: full suite only; the quick set keeps the in-process abort/resume test above.
Deno.test("pipeline: a real kill -9 of the exporting process, then resume", { ignore: QUICK }, async () => {
  const t = await setup();
  try {
    t.clm.onCall = () => new Promise((r) => setTimeout(r, 25)); // slow exports so the kill lands mid-run
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./_run_child.ts", import.meta.url).pathname,
        t.clm.url,
        t.runDir,
        String(CAP),
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Wait until it has recorded a few exports, then kill it without warning.
    await waitFor(() => {
      try {
        return listRunWindows(t.runDir).filter((w) => w.requestedAt !== null).length >= 6;
      } catch {
        return false; // ledger not created yet
      }
    }, { timeoutMs: 30_000, intervalMs: 25, what: "6 recorded exports" });
    child.kill("SIGKILL");
    const status = await child.status;
    await child.stdout.cancel();
    await child.stderr.cancel();
    assert.equal(status.signal, "SIGKILL");
    const atKill = listRunWindows(t.runDir);
    assert.ok(atKill.filter((w) => w.requestedAt !== null).length >= 6);
    assert.ok(atKill.every((w) => w.state !== "verified"), "killed before the end");

    t.clm.onCall = undefined;
    const r = await runExport(t.base()); // the lock died with the process
    assert.equal(r.status, "done", r.message);
    assertComplete(mergedIds(r.mergedPath!), t.records, lostIds(t));
    const ranges = t.clm.tasks.map((x) => `${x.start}/${x.end}`);
    assert.ok(ranges.length - new Set(ranges).size <= 1, "at most the call in flight was repeated");
  } finally {
    await t.close();
  }
});

Deno.test("pipeline: a collector that cannot start pauses the run with its message", async () => {
  const t = await setup();
  try {
    const broken = {
      factory: () =>
        Promise.reject(new LarkError("chromium missing", { hint: "找不到 Chromium：请安装 chromium" })),
      stats: {},
    };
    const r = await runExport(t.base({}, broken as unknown as ReturnType<typeof fakeCollector>));
    assert.equal(r.status, "paused");
    assert.equal(r.exitCode, 1);
    assert.match(r.message, /找不到 Chromium/);
    assert.ok((await Deno.stat(r.reportPath)).isFile);
    const exported = t.clm.tasks.length;
    const r2 = await runExport(t.base());
    assert.equal(r2.status, "done");
    assert.equal(t.clm.tasks.length, exported, "exports were not repeated");
  } finally {
    await t.close();
  }
});
