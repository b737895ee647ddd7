/**
 * `runExport`: plan → request → collect → merge → verify → report over one
 * run directory, resumable at any point (state in `ledger.sqlite`, stage
 * events in NDJSON files), with `--retry-failed` and `--only-window`.
 *
 * Run directory (`output.dir`): `ledger.sqlite`, `run.lock`, `plan.ndjson`,
 * `request.ndjson`, `collect.ndjson`, `windows.ndjson`, `windows/` (renamed
 * window files), `downloads/` (collector scratch), `merge.json`,
 * `verify.json`, `verify.md`, `report.md` and the merged workbook.
 *
 * @module
 */
import { LarkError } from "../../lib/errors/lark_error.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import { type MergeStep, mergeStep } from "./_merge_step.ts";
import {
  checkFingerprint,
  findWindow,
  lockRunDir,
  replan,
  resolveRange,
  retryFailed,
  runSettings,
} from "./_run_setup.ts";
import { collectStage } from "./collect.ts";
import type { CollectorFactory } from "./collector.ts";
import type { ExportConfig } from "./config.ts";
import { ExportLedger } from "./ledger.ts";
import { resolvePlanOptions } from "./plan.ts";
import {
  type ExportProgress,
  type ExportSummary,
  formatReportMarkdown,
  progressOf,
  summarize,
  windowRecord,
  writeReport,
} from "./report.ts";
import { countClientOf, type ExportClient, requestStage } from "./request.ts";
import type { CountClient } from "./plan_count.ts";
import { openStageLog, readStageLog } from "./stage_log.ts";
import { type VerifyReport, verifyRun } from "./verify.ts";
import type { ExportWindow } from "./window.ts";

export type { RunSettings } from "./_run_setup.ts";

/** Options of {@linkcode runExport}. */
export interface RunExportOptions {
  /** Validated configuration. */
  config: ExportConfig;
  /** Export calls (`ExportApi` from `createExportContext`, or a fake); one that also counts plans with counts. */
  client: ExportClient;
  /** Exact counts (default: the client's `countRecords`, if any; `null`: plan without counts). */
  counter?: CountClient | null;
  /** Creates the collector when files are awaited. */
  collector: CollectorFactory;
  /** What selects the records (from `createExportContext`); a resumed run must match it. */
  fingerprint?: string;
  /** Run directory (default `config.output.dir`). */
  runDir?: string;
  /** Put failed windows (not days over the cap) back to planned first. */
  retryFailed?: boolean;
  /** Work on one window only: its id or `YYYYMMDD-YYYYMMDD`. */
  onlyWindow?: string;
  /** Time source. */
  clock?: Clock;
  /** Ctrl+C: stop; everything recorded stays. */
  signal?: AbortSignal;
  /** Logger. */
  logger?: Logger;
  /** Progress after every window change and stage switch. */
  onProgress?: (p: ExportProgress) => void;
  /** Chinese notes for the console (range extended, windows reset, ...). */
  onNote?: (line: string) => void;
}

/** How a run ended. */
export type RunStatus = "done" | "paused" | "aborted" | "incomplete" | "verify_failed";

/** The result of {@linkcode runExport}. */
export interface RunExportResult {
  /** How it ended. */
  status: RunStatus;
  /** Process exit code: 0 done, 1 paused (credentials), 3 incomplete or verification failed, 130 aborted. */
  exitCode: number;
  /** One Chinese line saying what happened and what to do. */
  message: string;
  /** The error that paused the run. */
  error?: LarkError;
  /** Figures. */
  summary: ExportSummary;
  /** Verification, when it ran. */
  verify?: VerifyReport;
  /** Range of the run. */
  range: { start: string; end: string };
  /** Run directory. */
  runDir: string;
  /** `report.md`. */
  reportPath: string;
  /** The merged workbook, when merged. */
  mergedPath?: string;
}

const EXIT: Record<RunStatus, number> = { done: 0, paused: 1, aborted: 130, incomplete: 3, verify_failed: 3 };

/** Run (or resume) an export; see the module doc. */
export async function runExport(o: RunExportOptions): Promise<RunExportResult> {
  const c = o.config;
  const clock = o.clock ?? systemClock;
  const log = o.logger ?? silentLogger;
  const note = o.onNote ?? (() => {});
  const runDir = (o.runDir ?? c.output.dir).replace(/\/+$/, "");
  const t0 = clock.now();
  await Deno.mkdir(runDir, { recursive: true });
  const lock = await lockRunDir(runDir);
  const ledger = ExportLedger.open(`${runDir}/ledger.sqlite`, { clock });
  const logs = {
    plan: openStageLog(runDir, "plan"),
    request: openStageLog(runDir, "request"),
    collect: openStageLog(runDir, "collect"),
    windows: openStageLog(runDir, "windows"),
  };
  // count.ndjson only with a count source: without one the run directory stays as it was.
  const counter = o.counter === null ? null : o.counter ?? countClientOf(o.client) ?? null;
  const countLog = counter ? openStageLog(runDir, "count") : undefined;
  try {
    const range = resolveRange(ledger, c.range, clock.now(), c.tz_offset_minutes);
    if (range.note) note(range.note);
    checkFingerprint(ledger, o.fingerprint);
    const settings = runSettings(c, range);
    ledger.setMeta("settings", JSON.stringify(settings));
    const plan = resolvePlanOptions({
      start: range.start,
      end: range.end,
      initialDays: c.plan.initial_days,
      cap: c.plan.row_cap,
      threshold: c.plan.cap_threshold,
      minDays: c.plan.min_days,
      maxDays: c.plan.max_days,
      fill: c.plan.fill,
    });
    if (o.retryFailed) {
      const n = retryFailed(ledger);
      if (n) note(`--retry-failed：${n} 个失败窗口将重新导出。`);
    }
    let only: number | undefined;
    if (o.onlyWindow !== undefined) {
      const w = findWindow(ledger, o.onlyWindow);
      only = w.id;
      if (replan(ledger, w)) note(`窗口 ${w.id}（${w.start} 至 ${w.end}）将重新导出。`);
    }

    const doneAtStart = ledger.list().filter((w) => w.state !== "split" && w.filePath).length;
    let stage: ExportProgress["stage"] = "request";
    const progress = () =>
      o.onProgress?.(
        progressOf(ledger.list(), range, stage, { startedAt: t0, now: clock.now(), doneAtStart }),
      );
    const onWindow = (w: ExportWindow) => {
      if (w.state === "split" || w.state === "failed" || w.state === "downloaded") {
        logs.windows.append(windowRecord(w, clock.now()));
      }
      progress();
    };
    const finish = async (status: RunStatus, message: string, extra: Partial<RunExportResult> = {}) => {
      stage = "report";
      const requests = await readStageLog(runDir, "request");
      const counts = await readStageLog(runDir, "count");
      const windows = ledger.list();
      const merged = extra.mergedPath && extra.verify?.totals.mergedRows !== null && extra.verify
        ? {
          path: extra.mergedPath,
          rows: extra.verify.totals.mergedRows!,
          duplicates: extra.verify.totals.duplicates ?? 0,
        }
        : undefined;
      const summary = summarize(windows, requests, {
        range,
        cap: c.plan.row_cap,
        outcome: message,
        merged,
        elapsedMs: clock.now() - t0,
        countCalls: counts.filter((r) => r.outcome === "ok").length,
      });
      const reportPath = `${runDir}/report.md`;
      await writeReport(reportPath, formatReportMarkdown(summary, windows, extra.verify));
      progress();
      return { status, exitCode: EXIT[status], message, summary, range, runDir, reportPath, ...extra };
    };

    progress();
    for (;;) {
      stage = "request";
      const req = await requestStage({
        ledger,
        client: o.client,
        counter,
        plan,
        concurrency: c.rate_limit.export_concurrency,
        onlyWindow: only,
        clock,
        signal: o.signal,
        planLog: logs.plan,
        requestLog: logs.request,
        countLog,
        onWindow,
        logger: log,
      });
      if (req.countsDisabled) note(req.countsDisabled);
      if (req.paused) {
        return await finish(
          "paused",
          `已暂停：${req.paused.userMessage()} 已完成的窗口均已保存，更新凭证后重新运行即可从中断处继续。`,
          { error: req.paused },
        );
      }
      if (req.aborted) return await finish("aborted", "已中断；重新运行即可从中断处继续。");
      stage = "collect";
      progress();
      let col: Awaited<ReturnType<typeof collectStage>>;
      try {
        col = await collectStage({
          ledger,
          collector: o.collector,
          filesDir: `${runDir}/windows`,
          downloadDir: `${runDir}/downloads`,
          fileTemplate: c.output.file_template,
          plan,
          pollIntervalMs: c.collector.poll_interval_sec * 1000,
          deliveryTimeoutMs: c.collector.delivery_timeout_sec * 1000,
          downloadAttempts: c.collector.download_attempts,
          onlyWindow: only,
          clock,
          signal: o.signal,
          collectLog: logs.collect,
          onWindow,
          logger: log,
        });
      } catch (e) {
        if (o.signal?.aborted) return await finish("aborted", "已中断；重新运行即可从中断处继续。");
        const error = e instanceof LarkError ? e : new LarkError(String((e as Error)?.message ?? e), {
          cause: e,
          hint: "收集导出文件时出错",
        });
        log.error("collect_failed", error.toJSON());
        return await finish(
          "paused",
          `已暂停：${error.userMessage()} 已完成的窗口均已保存，处理后重新运行即可继续。`,
          { error },
        );
      }
      if (col.aborted) return await finish("aborted", "已中断；重新运行即可从中断处继续。");
      if ((col.split === 0 && !req.awaitingTotals) || only !== undefined) break;
      if (req.calls === 0 && col.delivered === 0) break; // no progress: leave the rest to a later run
    }

    const windows = ledger.list();
    const waiting = windows.filter((w) =>
      (w.state === "planned" || w.state === "requested" || w.state === "delivered") &&
      (only === undefined || w.id === only)
    );
    if (waiting.length) {
      return await finish(
        "incomplete",
        `还有 ${waiting.length} 个窗口未完成（未导出或未收到文件）；稍后重新运行即可继续。`,
      );
    }

    let merged: MergeStep;
    let verify: VerifyReport;
    try {
      stage = "merge";
      progress();
      merged = await mergeStep({
        config: c,
        runDir,
        range,
        windows,
        settings,
        now: clock.now(),
        logger: log,
        signal: o.signal,
      });
      stage = "verify";
      progress();
      verify = await verifyRun({
        ledger,
        range,
        cap: c.plan.row_cap,
        requiredColumns: c.verify.required_columns,
        dateColumns: c.merge.date_columns,
        windowDateColumn: c.verify.window_date_column,
        tzOffsetMinutes: c.tz_offset_minutes,
        merge: merged.summary,
        stats: merged.stats,
        outDir: runDir,
        workers: c.merge.workers,
        signal: o.signal,
        now: () => clock.now(),
      });
    } catch (e) {
      if (o.signal?.aborted) return await finish("aborted", "已中断；重新运行即可从中断处继续。");
      throw e;
    }
    const mergedPath = merged.mergedPath;
    const failedWindows = ledger.list().filter((w) =>
      w.state === "failed" && w.reasonCode !== "overcap"
    ).length;
    if (!verify.ok) {
      return await finish(
        "verify_failed",
        `校验未通过（${verify.checks.filter((x) => x.status === "fail").map((x) => x.title).join("、")}）` +
          (failedWindows ? `，其中 ${failedWindows} 个窗口失败，可用 --retry-failed 重试` : "") +
          `；详见 ${runDir}/verify.md`,
        { verify, mergedPath },
      );
    }
    return await finish("done", verify.status === "warn" ? "完成（有警告，见报告）" : "完成，校验通过", {
      verify,
      mergedPath,
    });
  } finally {
    for (const l of Object.values(logs)) l.close();
    countLog?.close();
    ledger.close();
    lock.close();
  }
}
