import assert from "node:assert/strict";
import { SessionError } from "../../lib/errors/session_error.ts";
import { ExportConfigSchema } from "../../pipelines/export/config.ts";
import { createExportContext, resolveExportAuth } from "../../pipelines/export/context.ts";
import { listRunWindows } from "../../pipelines/export/list.ts";
import { replayWindows } from "../../pipelines/export/replay.ts";
import { requestStageInWorker, requestWorkerGrants } from "../../pipelines/export/request_worker.ts";
import { runExport } from "../../pipelines/export/run.ts";
import { readStageLog } from "../../pipelines/export/stage_log.ts";
import { curlFor, FakeClm, fakeCollector, makeRecords, pipelineConfigInput } from "./_fake_clm.ts";

const CAP = 100;
/** Three weeks are enough to split windows, pause mid-run and resume (every round starts a worker). */
const DAYS = 21;
const COUNTS = Array.from({ length: DAYS }, (_, i) => [12, 30, 45, 28, 60, 5, 2][i % 7]);

Deno.test("request stage in a Worker: same run as in-process; a refused session pauses with its typed error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-request-worker-" });
  const clm = new FakeClm(makeRecords("2024-01-01", COUNTS), CAP);
  clm.start();
  try {
    const runDir = `${dir}/run`;
    const config = ExportConfigSchema.parse({
      ...pipelineConfigInput(runDir, CAP),
      range: { start: "2024-01-01", end: "2024-01-21" },
    });
    const auth = await resolveExportAuth(config, curlFor(clm.url));
    assert.deepEqual(requestWorkerGrants(auth, runDir), {
      net: [new URL(clm.url).host],
      read: [runDir],
      write: [runDir],
    });
    const ctx = await createExportContext(config, auth);
    const base = {
      config,
      client: ctx.api,
      fingerprint: ctx.fingerprint,
      requestStage: requestStageInWorker({ config, auth, runDir }),
    };

    // The session expires at the 4th export call: the worker's SessionError comes back typed.
    clm.expireFromCall = 4;
    const paused = await runExport({ ...base, collector: fakeCollector(clm).factory });
    assert.equal(paused.status, "paused");
    assert.ok(paused.error instanceof SessionError, String(paused.error));
    assert.match(paused.message, /登录已失效/);
    assert.equal(listRunWindows(runDir).filter((w) => w.taskId !== null).length, 3);

    clm.expireFromCall = Infinity;
    const done = await runExport({ ...base, collector: fakeCollector(clm).factory });
    assert.equal(done.status, "done", done.message);
    const windows = listRunWindows(runDir);
    const exported = windows.filter((w) => w.taskId !== null);
    assert.equal(exported.length, clm.tasks.length, "every export the server accepted is recorded");
    assert.ok(windows.filter((w) => w.state !== "split").every((w) => w.state === "verified"));
    // The worker wrote the plan and request files the main thread reads back.
    const requests = await readStageLog(runDir, "request");
    assert.equal(requests.filter((r) => r.outcome === "paused").length, 1);
    assert.equal(requests.filter((r) => r.task_id).length, clm.tasks.length);
    assert.equal((await replayWindows(runDir)).length, windows.length);
  } finally {
    await clm.close();
    await Deno.remove(dir, { recursive: true });
  }
});
