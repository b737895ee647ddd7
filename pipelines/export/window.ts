/**
 * Export windows: the unit of work of the export pipeline. One window is one
 * date range exported by one call; its state says how far it got.
 *
 * @module
 */

/**
 * Where a window stands:
 * - `planned`: chosen, not exported yet;
 * - `requested`: exported; Feishu declared how many records it holds;
 * - `delivered`: the bot's "导出完成" message for it was found;
 * - `downloaded`: its file is saved, opens as xlsx and is renamed;
 * - `verified`: it passed verification;
 * - `failed`: see `reason` (a single day over the cap, a timeout, a bad file...);
 * - `split`: it held too many records; other windows cover its days.
 */
export type WindowState =
  | "planned"
  | "requested"
  | "delivered"
  | "downloaded"
  | "verified"
  | "failed"
  | "split";

/** Every state, in pipeline order. */
export const WINDOW_STATES: readonly WindowState[] = [
  "planned",
  "requested",
  "delivered",
  "downloaded",
  "verified",
  "failed",
  "split",
];

/** Chinese names of the states for people. */
export const WINDOW_STATE_NAMES: Record<WindowState, string> = {
  planned: "已规划",
  requested: "已导出",
  delivered: "已收到消息",
  downloaded: "已下载",
  verified: "已校验",
  failed: "失败",
  split: "已拆分",
};

/**
 * Machine-readable failure reasons (the Chinese text is in `reason`):
 * `overcap` a window of the smallest size holds more than the cap (its first
 * rows are still downloaded); `export_error` the export call failed;
 * `delivery_timeout` no bot message in time; `bad_file` the file did not open.
 */
export type FailureCode = "overcap" | "export_error" | "delivery_timeout" | "bad_file";

/** One window as the ledger keeps it. */
export interface ExportWindow {
  /** Ledger id (1, 2, ...). */
  id: number;
  /** First day, `YYYY-MM-DD` (included). */
  start: string;
  /** Last day, `YYYY-MM-DD` (included). */
  end: string;
  /** Current state. */
  state: WindowState;
  /** Machine reason of a failure, or `overcap` on a truncated window that went on. */
  reasonCode: FailureCode | null;
  /** Chinese explanation (failures, truncation). */
  reason: string | null;
  /** Records in range as Feishu declared them. */
  declaredTotal: number | null;
  /** Export task id from the export call. */
  taskId: string | null;
  /** When the export call succeeded (epoch ms). */
  requestedAt: number | null;
  /** Id of the bot message matched to it. */
  noticeId: string | null;
  /** Text of that message. */
  noticeText: string | null;
  /** When that message was sent (epoch ms). */
  noticeAt: number | null;
  /** The renamed file. */
  filePath: string | null;
  /** Data rows in the file. */
  rowsInFile: number | null;
  /** SHA-256 (hex) of the file as downloaded. */
  sha256: string | null;
  /** The split window this one is a part of. */
  parentId: number | null;
  /** Export calls made for it (a retry after a kill counts again). */
  attempts: number;
  /** Last change (epoch ms). */
  updatedAt: number;
}

/** Rows the delivered file should hold: the declared total, at most `cap`. */
export function expectedRows(w: Pick<ExportWindow, "declaredTotal">, cap: number): number | null {
  return w.declaredTotal === null ? null : Math.min(w.declaredTotal, cap);
}

/** `20220101-20220107`, the short label of a window. */
export function windowLabel(w: Pick<ExportWindow, "start" | "end">): string {
  return `${w.start.replaceAll("-", "")}-${w.end.replaceAll("-", "")}`;
}
