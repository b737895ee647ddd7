/**
 * `rerunStage`: run one stage of an export alone, from the stage files of
 * its run directory (`deno task export --only-stage collect|merge <run dir>`).
 * It reads the window table from the NDJSON files (`replayWindows`:
 * `plan.ndjson`, `windows.ndjson`, and `request.ndjson` for what the request
 * stage started), puts every window the ledger lacks back into it (so a
 * deleted or older `ledger.sqlite` is rebuilt from the files), then:
 *
 * - `collect`: collects what was requested and has no file yet, appending
 *   `collect.ndjson` and `windows.ndjson`; nothing is requested;
 * - `merge`: merges the window files in `windows/` and verifies the run
 *   (`merge.json`, the merged workbook, `verify.json`, `verify.md`).
 *
 * @module
 */
import { ConfigError } from "../../lib/errors/config_error.ts";
import { LarkError } from "../../lib/errors/lark_error.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import { mergeThenVerify } from "./_merge_step.ts";
import { changedWindows, lockRunDir, planOptionsOf, runSettings } from "./_run_setup.ts";
import { awaitingFile, type CollectStageResult, type CollectStageRunner } from "./collect.ts";
import type { ExportConfig } from "./config.ts";
import { ExportLedger } from "./ledger.ts";
import { replayWindows } from "./replay.ts";
import { windowRecord } from "./report.ts";
import { openStageLog } from "./stage_log.ts";
import type { VerifyReport } from "./verify.ts";
import type { ExportWindow } from "./window.ts";

/** The stages that can be rerun alone. */
export const RERUN_STAGES = ["collect", "merge"] as const;

/** A stage that can be rerun alone. */
export type RerunStageName = typeof RERUN_STAGES[number];

/** Options of {@linkcode rerunStage}. */
export interface RerunStageOptions {
  /** Which stage. */
  stage: RerunStageName;
  /** Validated configuration (collector, templates, merge and verify settings). */
  config: ExportConfig;
  /** Run directory (default `config.output.dir`). */
  runDir?: string;
  /** Runs the collect stage (the script: `collectStageInWorker`). Needed for `collect`. */
  collectStage?: CollectStageRunner;
  /** Time source. */
  clock?: Clock;
  /** Stop; everything recorded stays. */
  signal?: AbortSignal;
  /** Logger. */
  logger?: Logger;
}

/** What {@linkcode rerunStage} did. */
export interface RerunStageResult {
  /** `done`: nothing left for the stage; `incomplete`: windows still wait; `paused`: the collector failed. */
  status: "done" | "incomplete" | "paused" | "aborted" | "verify_failed";
  /** Process exit code: 0 done, 1 paused, 3 incomplete or verification failed, 130 aborted. */
  exitCode: number;
  /** One Chinese line. */
  message: string;
  /** Windows put back into the ledger from the stage files. */
  restored: number;
  /** What the collect stage did. */
  collect?: CollectStageResult;
  /** The verification (merge). */
  verify?: VerifyReport;
  /** The merged workbook (merge). */
  mergedPath?: string;
  /** Why it paused. */
  error?: LarkError;
}

const EXIT = { done: 0, paused: 1, incomplete: 3, verify_failed: 3, aborted: 130 } as const;

/** Rerun `o.stage` alone from the run directory's stage files; see the module doc. */
export async function rerunStage(o: RerunStageOptions): Promise<RerunStageResult> {
  const runDir = (o.runDir ?? o.config.output.dir).replace(/\/+$/, "");
  const fromFiles = await windowsFromFiles(runDir);
  const lock = await lockRunDir(runDir);
  const ledger = ExportLedger.open(`${runDir}/ledger.sqlite`, { clock: o.clock });
  const windowsLog = openStageLog(runDir, "windows");
  try {
    const restored = restoreIndex(ledger, fromFiles, o.config);
    const range = { start: ledger.getMeta("range_start")!, end: ledger.getMeta("range_end")! };
    const ctx = {
      ...o,
      runDir,
      ledger,
      range,
      log: (w: ExportWindow) => windowsLog.append(windowRecord(w, now(o))),
    };
    const r = o.stage === "collect" ? await collectOnly(ctx) : await mergeOnly(ctx);
    return { ...r, exitCode: EXIT[r.status], restored };
  } finally {
    windowsLog.close();
    ledger.close();
    lock.close();
  }
}

type StageContext = RerunStageOptions & {
  runDir: string;
  ledger: ExportLedger;
  range: { start: string; end: string };
  log: (w: ExportWindow) => void;
};
type StageOutcome = Omit<RerunStageResult, "exitCode" | "restored">;

/** The window table the stage files tell; refuses a directory without them. */
async function windowsFromFiles(runDir: string): Promise<ExportWindow[]> {
  const windows = await replayWindows(runDir);
  if (windows.length === 0) {
    throw new ConfigError(`no stage files in ${runDir}`, {
      hint:
        `目录 ${runDir} 中没有导出阶段文件（plan.ndjson / windows.ndjson）：请传入导出运行目录（配置中的 output.dir）。`,
    });
  }
  return windows;
}

/**
 * Put the windows of the files the ledger lacks back into it, and the range
 * and settings when missing (`export:verify` and a resumed run read them).
 */
function restoreIndex(ledger: ExportLedger, windows: readonly ExportWindow[], c: ExportConfig): number {
  return ledger.transaction(() => {
    const restored = windows.filter((w) => ledger.restore(w)).length;
    if (!ledger.getMeta("range_start") || !ledger.getMeta("range_end")) {
      const all = ledger.list();
      ledger.setMeta("range_start", all.reduce((m, w) => (w.start < m ? w.start : m), all[0].start));
      ledger.setMeta("range_end", all.reduce((m, w) => (w.end > m ? w.end : m), all[0].end));
    }
    if (!ledger.getMeta("settings")) {
      const range = { start: ledger.getMeta("range_start")!, end: ledger.getMeta("range_end")! };
      ledger.setMeta("settings", JSON.stringify(runSettings(c, range)));
    }
    return restored;
  });
}

/** Collect what was requested and has no file yet. */
async function collectOnly(x: StageContext): Promise<StageOutcome> {
  if (!x.collectStage) throw new TypeError("rerunStage collect needs `collectStage`");
  const c = x.config;
  const collectLog = openStageLog(x.runDir, "collect");
  let collect: CollectStageResult;
  try {
    collect = await x.collectStage({
      ledger: x.ledger,
      filesDir: `${x.runDir}/windows`,
      downloadDir: `${x.runDir}/downloads`,
      fileTemplate: c.output.file_template,
      plan: planOptionsOf(c, x.range),
      pollIntervalMs: c.collector.poll_interval_sec * 1000,
      deliveryTimeoutMs: c.collector.delivery_timeout_sec * 1000,
      downloadAttempts: c.collector.download_attempts,
      clock: x.clock,
      signal: x.signal,
      collectLog,
      onWindow: x.log,
      logger: x.logger ?? silentLogger,
    });
  } catch (e) {
    if (x.signal?.aborted) return { status: "aborted", message: "已中断；重新运行即可继续收取。" };
    const error = e instanceof LarkError
      ? e
      : new LarkError(String((e as Error)?.message ?? e), { cause: e });
    return { status: "paused", message: `收取已暂停：${error.userMessage()}`, error };
  } finally {
    collectLog.close();
  }
  if (collect.aborted) return { status: "aborted", message: "已中断；重新运行即可继续收取。", collect };
  const waiting = x.ledger.list().filter(awaitingFile).length;
  const figures = `本次匹配 ${collect.delivered} 条导出消息，下载 ${collect.downloaded} 个文件`;
  if (waiting) {
    return { status: "incomplete", message: `${figures}；还有 ${waiting} 个窗口未收到文件。`, collect };
  }
  return {
    status: "done",
    message: `${figures}；已导出的窗口都已收取。合并：deno task export --only-stage merge ${x.runDir}`,
    collect,
  };
}

/** Merge the window files and verify the run. */
async function mergeOnly(x: StageContext): Promise<StageOutcome> {
  const before = x.ledger.list();
  let done;
  try {
    done = await mergeThenVerify({
      config: x.config,
      runDir: x.runDir,
      range: x.range,
      ledger: x.ledger,
      settings: JSON.parse(x.ledger.getMeta("settings")!),
      now: () => now(x),
      logger: x.logger ?? silentLogger,
      signal: x.signal,
    });
  } catch (e) {
    if (x.signal?.aborted) return { status: "aborted", message: "已中断；重新运行即可。" };
    throw e;
  }
  for (const w of changedWindows(before, x.ledger.list())) x.log(w);
  const { verify, mergedPath } = done;
  if (verify.ok) {
    const verdict = verify.status === "warn" ? `校验通过（有警告，见 ${x.runDir}/verify.md）` : "校验通过";
    return { status: "done", message: `已合并：${mergedPath}，${verdict}`, verify, mergedPath };
  }
  const failed = verify.checks.filter((k) => k.status === "fail").map((k) => k.title).join("、");
  return {
    status: "verify_failed",
    message: `已合并：${mergedPath}；校验未通过（${failed}），详见 ${x.runDir}/verify.md`,
    verify,
    mergedPath,
  };
}

function now(o: { clock?: Clock }): number {
  return (o.clock ?? systemClock).now();
}
