/**
 * The export pipeline, part 2 (part 1 in pipeline.test.ts; the files run in
 * parallel): counts only in the bot message, a broken download,
 * --only-window and --retry-failed, a real kill -9, and a collector that
 * cannot start.
 */
import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { LarkError } from "../../lib/errors/lark_error.ts";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { listRunWindows } from "../../pipelines/export/list.ts";
import { runExport } from "../../pipelines/export/run.ts";
import { fakeCollector } from "./_fake_clm.ts";
import {
  assertComplete,
  assertReplayMatchesLedger,
  CAP,
  lostIds,
  mergedIds,
  setup,
  TOTAL,
} from "./_pipeline_env.ts";
import { QUICK } from "../_test_size.ts";

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
