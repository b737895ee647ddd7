/**
 * Setting up a run directory (internal): the cross-process lock, the range
 * and filter fingerprint recorded in the ledger, the settings recorded for
 * `export:verify`, `--retry-failed` and `--only-window`.
 *
 * @module
 */
import { ConfigError } from "../../lib/errors/config_error.ts";
import type { ExportConfig } from "./config.ts";
import { dayOf, todayIn } from "./dates.ts";
import type { ExportLedger } from "./ledger.ts";
import { type ResolvedPlanOptions, resolvePlanOptions } from "./plan.ts";
import { type ExportWindow, windowLabel } from "./window.ts";

/** Hold `<dir>/run.lock` for the life of the process (the OS drops it on exit, even after `kill -9`). */
export async function lockRunDir(dir: string): Promise<Deno.FsFile> {
  const file = await Deno.open(`${dir}/run.lock`, { create: true, write: true });
  if (!(await file.tryLock(true))) {
    file.close();
    throw new ConfigError(`${dir} is locked`, {
      hint: `另一个导出进程正在使用目录 ${dir}：请等它结束，或换一个 output.dir。`,
    });
  }
  return file;
}

/**
 * The range of the run. A new run takes the configured range (end "" =
 * today in the zone). A resumed run keeps its recorded range; a configured
 * range that contains it extends it; anything else is refused.
 */
export function resolveRange(
  ledger: ExportLedger,
  configured: { start: string; end: string },
  nowMs: number,
  tzOffsetMinutes: number,
): { start: string; end: string; note?: string } {
  const today = todayIn(nowMs, tzOffsetMinutes);
  const oldStart = ledger.getMeta("range_start");
  const oldEnd = ledger.getMeta("range_end");
  const wantEnd = configured.end || undefined;
  if (!oldStart || !oldEnd) {
    const end = wantEnd ?? today;
    if (dayOf(end) < dayOf(configured.start)) {
      throw new ConfigError("range end before start", {
        hint: `导出范围无效：结束日期 ${end} 早于开始日期 ${configured.start}。`,
      });
    }
    ledger.setMeta("range_start", configured.start);
    ledger.setMeta("range_end", end);
    return { start: configured.start, end };
  }
  const start = configured.start;
  const end = wantEnd ?? oldEnd;
  if (start === oldStart && end === oldEnd) return { start, end };
  if (dayOf(start) <= dayOf(oldStart) && dayOf(end) >= dayOf(oldEnd)) {
    ledger.setMeta("range_start", start);
    ledger.setMeta("range_end", end);
    return { start, end, note: `导出范围由 ${oldStart} 至 ${oldEnd} 扩展为 ${start} 至 ${end}。` };
  }
  throw new ConfigError("range differs from the recorded run", {
    hint: `该目录已有 ${oldStart} 至 ${oldEnd} 的导出进度，与配置的 ${start} 至 ${end} 不同；` +
      "范围只能扩大。要导出其他范围，请换一个 output.dir。",
  });
}

/** Refuse to resume with other filters (the windows already exported would not match). */
export function checkFingerprint(ledger: ExportLedger, fingerprint: string | undefined): void {
  if (!fingerprint) return;
  const old = ledger.getMeta("fingerprint");
  if (!old) {
    ledger.setMeta("fingerprint", fingerprint);
    return;
  }
  if (old !== fingerprint) {
    throw new ConfigError("filters changed", {
      hint: "筛选条件（keyword、searchTabEnumCode、请求体或时区）与该目录已有的导出进度不一致；" +
        "请恢复原来的条件，或换一个 output.dir 重新导出。",
    });
  }
}

const RESET = {
  state: "planned" as const,
  taskId: null,
  requestedAt: null,
  declaredTotal: null,
  noticeId: null,
  noticeText: null,
  noticeAt: null,
  reasonCode: null,
  reason: null,
  filePath: null,
  rowsInFile: null,
  sha256: null,
};

/** Put a failed window back to `planned` (not a day over the cap: that cannot get better). */
export function replan(ledger: ExportLedger, w: ExportWindow): boolean {
  if (w.state !== "failed" || w.reasonCode === "overcap") return false;
  return !!ledger.update(w.id, RESET, ["failed"]);
}

/** `--retry-failed`: every retryable failed window back to `planned`; returns how many. */
export function retryFailed(ledger: ExportLedger): number {
  return ledger.transaction(() => ledger.list().filter((w) => replan(ledger, w)).length);
}

/** Find the window named by `--only-window <id|YYYYMMDD-YYYYMMDD>`. */
export function findWindow(ledger: ExportLedger, ref: string): ExportWindow {
  const all = ledger.list();
  const hit = /^\d+$/.test(ref)
    ? all.find((w) => w.id === Number(ref))
    : all.filter((w) => windowLabel(w) === ref.replaceAll("-", "").replace(/^(\d{8})(\d{8})$/, "$1-$2"))
      .sort((a, b) => Number(a.state === "split") - Number(b.state === "split"))[0];
  if (!hit) {
    throw new ConfigError(`no window ${ref}`, {
      hint: `找不到窗口 ${ref}：请用 --list 查看窗口 ID 或日期（格式 YYYYMMDD-YYYYMMDD）。`,
    });
  }
  if (hit.state === "split") {
    throw new ConfigError(`window ${ref} is split`, {
      hint: `窗口 ${ref} 已拆分，其记录由其他窗口导出：请用 --list 查看并指定其中一个。`,
    });
  }
  return hit;
}

/** Settings recorded in the ledger so `export:verify <run-dir>` needs no config. */
export interface RunSettings {
  /** Range. */
  range: { start: string; end: string };
  /** Rows per export. */
  cap: number;
  /** Required columns. */
  requiredColumns: string[];
  /** Date columns. */
  dateColumns: string[];
  /** Window date column. */
  windowDateColumn: string;
  /** Zone, minutes. */
  tzOffsetMinutes: number;
  /** Merge key column. */
  keyColumn: string;
  /** Source column. */
  sourceColumn: string;
}

/** The settings of a run as recorded in the ledger. */
export function runSettings(c: ExportConfig, range: { start: string; end: string }): RunSettings {
  return {
    range: { start: range.start, end: range.end },
    cap: c.plan.row_cap,
    requiredColumns: c.verify.required_columns,
    dateColumns: c.merge.date_columns,
    windowDateColumn: c.verify.window_date_column,
    tzOffsetMinutes: c.tz_offset_minutes,
    keyColumn: c.merge.key_column,
    sourceColumn: c.merge.source_column,
  };
}

/** Planner settings of the config over `range`. */
export function planOptionsOf(c: ExportConfig, range: { start: string; end: string }): ResolvedPlanOptions {
  return resolvePlanOptions({
    start: range.start,
    end: range.end,
    initialDays: c.plan.initial_days,
    cap: c.plan.row_cap,
    threshold: c.plan.cap_threshold,
    minDays: c.plan.min_days,
    maxDays: c.plan.max_days,
    fill: c.plan.fill,
  });
}

/** The windows of `after` whose state differs from `before` (resets, verification). */
export function changedWindows(
  before: readonly ExportWindow[],
  after: readonly ExportWindow[],
): ExportWindow[] {
  const was = new Map(before.map((w) => [w.id, w.state]));
  return after.filter((w) => was.get(w.id) !== w.state);
}
