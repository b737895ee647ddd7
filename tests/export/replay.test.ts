import assert from "node:assert/strict";
import { replayWindows } from "../../pipelines/export/replay.ts";
import { windowRecord } from "../../pipelines/export/report.ts";
import { openStageLog } from "../../pipelines/export/stage_log.ts";
import type { ExportWindow } from "../../pipelines/export/window.ts";
import { main as replayMain } from "../../scripts/export_replay.ts";

const W: ExportWindow = {
  id: 1,
  start: "2024-01-01",
  end: "2024-01-07",
  state: "planned",
  reasonCode: null,
  reason: null,
  declaredTotal: null,
  taskId: null,
  requestedAt: null,
  noticeId: null,
  noticeText: null,
  noticeAt: null,
  filePath: null,
  rowsInFile: null,
  sha256: null,
  parentId: null,
  attempts: 0,
  updatedAt: 0,
};

Deno.test("replay: the last windows.ndjson line of each window is its state; bad lines fail the task", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-replay-" });
  try {
    const plan = openStageLog(dir, "plan");
    const windows = openStageLog(dir, "windows");
    for (const w of [W, { ...W, id: 2, start: "2024-01-08", end: "2024-01-14" }]) {
      plan.append({
        type: "plan",
        at: "2024-02-01T00:00:00.000Z",
        window_id: w.id,
        start: w.start,
        end: w.end,
        parent_id: null,
        basis: "initial",
        estimate: null,
        density: null,
      });
    }
    windows.append(
      windowRecord({ ...W, state: "requested", taskId: "t1", declaredTotal: 5, attempts: 1 }, 1000),
    );
    const file = { filePath: `${dir}/windows/a.xlsx`, rowsInFile: 5, sha256: "ab".repeat(32) };
    windows.append(
      windowRecord({ ...W, state: "downloaded", taskId: "t1", declaredTotal: 5, ...file }, 2000),
    );
    plan.close();
    windows.close();

    const [w1, w2] = await replayWindows(dir);
    assert.equal(w1.state, "downloaded");
    assert.equal(w1.taskId, "t1");
    assert.equal(w1.rowsInFile, 5);
    assert.equal(w1.sha256, "ab".repeat(32));
    assert.equal(w2.state, "planned", "a window only planned so far");
    assert.equal(w2.start, "2024-01-08");

    // A torn last line is normal (a kill); a line of the wrong shape is not.
    await Deno.writeTextFile(`${dir}/windows.ndjson`, '{"type":"window","at"', { append: true });
    assert.equal(await replayMain([dir]), 0);
    await Deno.writeTextFile(
      `${dir}/windows.ndjson`,
      '\n{"type":"window","at":"x","window_id":1,"range":"","state":"lost","declared_total":null,"rows":null,"file":null,"error":null}\n',
      { append: true },
    );
    assert.equal(await replayMain([dir]), 3);
    assert.equal((await replayWindows(dir))[0].state, "downloaded", "the invalid line is not applied");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("replay: a request.ndjson line newer than the window's last change is applied (windows.ndjson lags)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-replay-req-" });
  try {
    const plan = openStageLog(dir, "plan");
    const request = openStageLog(dir, "request");
    const windows = openStageLog(dir, "windows");
    for (
      const [id, start, end] of [[1, "2024-01-01", "2024-01-07"], [2, "2024-01-08", "2024-01-14"]] as const
    ) {
      plan.append({
        type: "plan",
        at: "2024-02-01T00:00:00.000Z",
        window_id: id,
        start,
        end,
        parent_id: null,
        basis: "initial",
        estimate: null,
        density: null,
      });
    }
    const req = { type: "request" as const, start: "2024-01-01", end: "2024-01-07", attempts: 1 };
    // Window 1: requested, and windows.ndjson recorded it later (downloaded): the request line is older.
    request.append({
      ...req,
      at: "2024-02-01T00:01:00.000Z",
      window_id: 1,
      outcome: "ok",
      task_id: "t1",
      total: 5,
    });
    windows.append(
      windowRecord(
        { ...W, state: "downloaded", taskId: "t1", declaredTotal: 5, filePath: "a.xlsx" },
        Date.parse("2024-02-01T00:02:00.000Z"),
      ),
    );
    // Window 2: the process stopped between the request line and its windows line.
    request.append({
      ...req,
      at: "2024-02-01T00:03:00.000Z",
      window_id: 2,
      start: "2024-01-08",
      end: "2024-01-14",
      outcome: "unknown_total",
      task_id: "t2",
    });
    for (const l of [plan, request, windows]) l.close();

    const [w1, w2] = await replayWindows(dir);
    assert.equal(w1.state, "downloaded", "an older request line changes nothing");
    assert.equal(w1.filePath, "a.xlsx");
    assert.deepEqual(
      [w2.state, w2.taskId, w2.declaredTotal, w2.requestedAt],
      ["requested", "t2", null, Date.parse("2024-02-01T00:03:00.000Z")],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
