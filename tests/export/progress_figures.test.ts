/**
 * Live progress of an export run: finished windows (downloaded, verified, or
 * failed other than a day over the cap without a file), an estimated total
 * for the days not planned yet, rows so far, the rate of this run and an ETA.
 */
import assert from "node:assert/strict";
import { progressOf, windowFinished } from "../../pipelines/export/report.ts";
import type { ExportWindow, WindowState } from "../../pipelines/export/window.ts";

let nextId = 1;
function win(
  start: string,
  end: string,
  state: WindowState,
  extra: Partial<ExportWindow> = {},
): ExportWindow {
  return {
    id: nextId++,
    start,
    end,
    state,
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
    ...extra,
  } as ExportWindow;
}

Deno.test("windowFinished: saved or failed windows count; a day over the cap counts only with its file", () => {
  assert.equal(windowFinished(win("2024-01-01", "2024-01-01", "downloaded")), true);
  assert.equal(windowFinished(win("2024-01-01", "2024-01-01", "verified")), true);
  assert.equal(windowFinished(win("2024-01-01", "2024-01-01", "failed", { reasonCode: "bad_file" })), true);
  assert.equal(windowFinished(win("2024-01-01", "2024-01-01", "failed", { reasonCode: "overcap" })), false);
  assert.equal(
    windowFinished(win("2024-01-01", "2024-01-01", "failed", { reasonCode: "overcap", filePath: "/w.xlsx" })),
    true,
  );
  assert.equal(windowFinished(win("2024-01-01", "2024-01-07", "planned")), false);
});

Deno.test("progressOf: totals estimated from the planned windows; rate and ETA of this run; split windows ignored", () => {
  const range = { start: "2024-01-01", end: "2024-01-28" }; // 28 days
  const windows = [
    win("2024-01-01", "2024-01-14", "split"),
    win("2024-01-01", "2024-01-07", "verified", { rowsInFile: 100 }),
    win("2024-01-08", "2024-01-14", "downloaded", { rowsInFile: 50 }),
    win("2024-01-15", "2024-01-21", "planned"),
  ];
  // 3 leaves cover 21 days, 7 on average: one more window for the 7 days left.
  const p = progressOf(windows, range, "collect", { startedAt: 0, now: 120_000, doneAtStart: 0 });
  assert.deepEqual(p, {
    stage: "collect",
    windowsDone: 2,
    windowsTotal: 4,
    rows: 150,
    ratePerMin: 1,
    etaSec: 120,
  });

  // Nothing finished in this run yet: no rate, no ETA; windows done before the run do not count as rate.
  const resumed = progressOf(windows, range, "request", { startedAt: 0, now: 60_000, doneAtStart: 2 });
  assert.equal(resumed.ratePerMin, 0);
  assert.equal(resumed.etaSec, undefined);
  // Nothing planned yet: a week per window is assumed.
  assert.equal(progressOf([], range, "request", { startedAt: 0, now: 0, doneAtStart: 0 }).windowsTotal, 4);
});
