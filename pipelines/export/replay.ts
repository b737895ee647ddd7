/**
 * The window table of a run rebuilt from its NDJSON files alone (no
 * `ledger.sqlite`): `plan.ndjson` names every window, `windows.ndjson` holds
 * each change of a window as it was after the change, so the last line of a
 * window is its state; a `request.ndjson` line newer than a window's last
 * change (the process stopped between the two appends) is applied on top.
 * `deno task export:replay <run dir>` prints it; `deno task export
 * --only-stage collect|merge <run dir>` reruns a stage from it.
 *
 * @module
 */
import type { ReadNdjsonOptions } from "../../lib/ndjson/read_ndjson.ts";
import { readStageLog, type RequestRecord, type WindowRecord } from "./stage_log.ts";
import type { ExportWindow, FailureCode, WindowState } from "./window.ts";

/**
 * The windows of the run in `runDir` as its stage files tell them, by id.
 * Equal to the ledger's windows in every field the files carry (all but the
 * notice text and time; `attempts` as of the window's last change).
 */
export async function replayWindows(runDir: string, options?: ReadNdjsonOptions): Promise<ExportWindow[]> {
  const windows = new Map<number, ExportWindow>();
  for (const p of await readStageLog(runDir, "plan", options)) {
    windows.set(p.window_id, blank(p.window_id, p.start, p.end, p.parent_id, Date.parse(p.at)));
  }
  for (const r of await readStageLog(runDir, "windows", options)) {
    const w = windows.get(r.window_id) ?? blankFromRecord(r);
    windows.set(r.window_id, apply(w, r));
  }
  for (const r of await readStageLog(runDir, "request", options)) {
    const w = windows.get(r.window_id);
    if (w && r.task_id && Date.parse(r.at) > w.updatedAt) windows.set(w.id, requested(w, r));
  }
  return [...windows.values()].sort((a, b) => a.id - b.id);
}

function blank(id: number, start: string, end: string, parentId: number | null, at: number): ExportWindow {
  return {
    id,
    start,
    end,
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
    parentId,
    attempts: 0,
    updatedAt: at,
  };
}

/** A window first seen in `windows.ndjson` (a run directory older than full window lines). */
function blankFromRecord(r: WindowRecord): ExportWindow {
  const [start, end] = r.start && r.end ? [r.start, r.end] : r.range.split(" 至 ");
  return blank(r.window_id, start, end, r.parent_id ?? null, Date.parse(r.at));
}

function apply(w: ExportWindow, r: WindowRecord): ExportWindow {
  return {
    ...w,
    start: r.start ?? w.start,
    end: r.end ?? w.end,
    state: r.state as WindowState,
    declaredTotal: r.declared_total,
    rowsInFile: r.rows,
    filePath: r.file,
    reason: r.error,
    reasonCode: r.reason_code !== undefined ? r.reason_code as FailureCode | null : w.reasonCode,
    taskId: r.task_id !== undefined ? r.task_id : w.taskId,
    requestedAt: r.requested_at !== undefined ? r.requested_at : w.requestedAt,
    noticeId: r.notice_id !== undefined ? r.notice_id : w.noticeId,
    sha256: r.sha256 !== undefined ? r.sha256 : w.sha256,
    parentId: r.parent_id !== undefined ? r.parent_id : w.parentId,
    attempts: r.attempts ?? w.attempts,
    updatedAt: Date.parse(r.at),
  };
}

/** The window as an export call that returned a task left it (`request.ndjson` line). */
function requested(w: ExportWindow, r: RequestRecord): ExportWindow {
  const at = Date.parse(r.at);
  const base: ExportWindow = {
    ...w,
    state: "requested",
    reasonCode: null,
    reason: null,
    declaredTotal: r.total ?? null,
    taskId: r.task_id ?? null,
    requestedAt: at,
    noticeId: null,
    noticeText: null,
    noticeAt: null,
    filePath: null,
    rowsInFile: null,
    sha256: null,
    updatedAt: at,
  };
  if (r.outcome === "split") return { ...base, state: "split" };
  if (r.outcome !== "overcap") return base;
  const reason = `窗口共 ${r.total} 条，超过单次导出上限，无法按日期拆分`;
  return { ...base, state: "failed", reasonCode: "overcap", reason };
}
