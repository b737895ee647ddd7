/**
 * `runExport`: plan → request → collect → merge → verify → report over one
 * run directory, resumable at any point (state in `ledger.sqlite`, stage
 * events in NDJSON files), with `--retry-failed` and `--only-window`. It
 * reads as its steps: open the run, set it up, fetch the windows (request
 * and collect until no window waits), merge and verify, report.
 *
 * Run directory (`output.dir`): `ledger.sqlite`, `run.lock`, `plan.ndjson`,
 * `request.ndjson`, `collect.ndjson`, `windows.ndjson`, `windows/` (renamed
 * window files), `downloads/` (collector scratch), `merge.json`,
 * `verify.json`, `verify.md`, `report.md` and the merged workbook.
 *
 * @module
 */
import { LarkError } from "../../lib/errors/lark_error.ts";
import type { Logger } from "../../lib/log/logger.ts";
import type { Clock } from "../../lib/time/clock.ts";
import { ABORTED_MESSAGE, RunContext, type RunExportResult } from "./_run_context.ts";
import { mergeThenVerify } from "./_merge_step.ts";
import {
  changedWindows,
  checkFingerprint,
  findWindow,
  planOptionsOf,
  replan,
  resolveRange,
  retryFailed,
  type RunSettings,
  runSettings,
} from "./_run_setup.ts";
import { collectStage, type CollectStageRunner } from "./collect.ts";
import type { CollectorFactory } from "./collector.ts";
import type { ExportConfig } from "./config.ts";
import type { ResolvedPlanOptions } from "./plan.ts";
import type { ExportProgress } from "./report.ts";
import { type ExportClient, requestStage } from "./request.ts";
import type { CountClient } from "./plan_count.ts";
import type { RequestStageRunner } from "./request_worker.ts";
import type { ExportWindow } from "./window.ts";

export type { RunSettings } from "./_run_setup.ts";
export type { RunExportResult, RunStatus } from "./_run_context.ts";

/** Options of {@linkcode runExport}. */
export interface RunExportOptions {
  /** Validated configuration. */
  config: ExportConfig;
  /** Export calls (`ExportApi` from `createExportContext`, or a fake); one that also counts plans with counts. */
  client: ExportClient;
  /** Exact counts (default: the client's `countRecords`, if any; `null`: plan without counts). */
  counter?: CountClient | null;
  /** Creates the collector when files are awaited, in this thread (needed unless `collectStage` is given). */
  collector?: CollectorFactory;
  /** Runs the request stage (default `requestStage` in this thread; the script uses `requestStageInWorker`). */
  requestStage?: RequestStageRunner;
  /**
   * Runs the collect stage (default `collectStage` in this thread with `collector`; the script uses
   * `collectStageInWorker`, which builds its collector in the Worker).
   */
  collectStage?: CollectStageRunner;
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

/** Run (or resume) an export; see the module doc. */
export async function runExport(o: RunExportOptions): Promise<RunExportResult> {
  const run = await RunContext.open(o);
  try {
    const setup = setUpRun(run, o);
    run.markStart();
    run.progress();
    const ended = await fetchWindows(run, setup, o);
    if (ended) return ended;
    const waiting = waitingWindows(run, setup.only);
    if (waiting) {
      return await run.finish(
        "incomplete",
        `还有 ${waiting} 个窗口未完成（未导出或未收到文件）；稍后重新运行即可继续。`,
      );
    }
    return await mergeAndVerify(run, setup, o.signal);
  } finally {
    run.close();
  }
}

/** What the setup step decided. */
interface RunSetup {
  /** Settings recorded for `export:verify`. */
  settings: RunSettings;
  /** Planner settings. */
  plan: ResolvedPlanOptions;
  /** The one window to work on (`--only-window`). */
  only?: number;
}

/** Range, fingerprint and settings in the ledger; `--retry-failed` and `--only-window` applied. */
function setUpRun(run: RunContext, o: RunExportOptions): RunSetup {
  const c = run.config;
  const note = o.onNote ?? (() => {});
  const range = resolveRange(run.ledger, c.range, run.clock.now(), c.tz_offset_minutes);
  if (range.note) note(range.note);
  run.range = { start: range.start, end: range.end };
  checkFingerprint(run.ledger, o.fingerprint);
  const settings = runSettings(c, range);
  run.ledger.setMeta("settings", JSON.stringify(settings));
  const before = run.ledger.list();
  const plan = planOptionsOf(c, range);
  if (o.retryFailed) {
    const n = retryFailed(run.ledger);
    if (n) note(`--retry-failed：${n} 个失败窗口将重新导出。`);
  }
  let only: number | undefined;
  if (o.onlyWindow !== undefined) {
    const w = findWindow(run.ledger, o.onlyWindow);
    only = w.id;
    if (replan(run.ledger, w)) note(`窗口 ${w.id}（${w.start} 至 ${w.end}）将重新导出。`);
  }
  logChanged(run, before);
  return { settings, plan, only };
}

/** Log to `windows.ndjson` every window that changed since `before` (resets, verification). */
function logChanged(run: RunContext, before: readonly ExportWindow[]): void {
  for (const w of changedWindows(before, run.ledger.list())) run.logWindow(w);
}

/**
 * Request and collect in turns until no window waits for a total or a split
 * (or nothing moves). Returns the result when the run ends here (paused,
 * aborted), undefined when it goes on to merge.
 */
async function fetchWindows(
  run: RunContext,
  setup: RunSetup,
  o: RunExportOptions,
): Promise<RunExportResult | undefined> {
  const c = run.config;
  for (;;) {
    run.stage = "request";
    const req = await (o.requestStage ?? requestStage)({
      ledger: run.ledger,
      client: o.client,
      counter: run.counter,
      plan: setup.plan,
      concurrency: c.rate_limit.export_concurrency,
      onlyWindow: setup.only,
      clock: run.clock,
      signal: o.signal,
      planLog: run.logs.plan,
      requestLog: run.logs.request,
      countLog: run.countLog,
      onWindow: run.onWindow,
      logger: run.log,
    });
    if (req.countsDisabled) o.onNote?.(req.countsDisabled);
    if (req.paused) {
      return await run.finish(
        "paused",
        `已暂停：${req.paused.userMessage()} 已完成的窗口均已保存，更新凭证后重新运行即可从中断处继续。`,
        { error: req.paused },
      );
    }
    if (req.aborted) return await run.finish("aborted", ABORTED_MESSAGE);
    run.stage = "collect";
    run.progress();
    let col: Awaited<ReturnType<typeof collectStage>>;
    try {
      col = await (o.collectStage ?? inThread(o.collector))({
        ledger: run.ledger,
        filesDir: `${run.runDir}/windows`,
        downloadDir: `${run.runDir}/downloads`,
        fileTemplate: c.output.file_template,
        plan: setup.plan,
        pollIntervalMs: c.collector.poll_interval_sec * 1000,
        deliveryTimeoutMs: c.collector.delivery_timeout_sec * 1000,
        downloadAttempts: c.collector.download_attempts,
        onlyWindow: setup.only,
        clock: run.clock,
        signal: o.signal,
        collectLog: run.logs.collect,
        onWindow: run.onWindow,
        logger: run.log,
      });
    } catch (e) {
      if (o.signal?.aborted) return await run.finish("aborted", ABORTED_MESSAGE);
      return await pauseOnCollectError(run, e);
    }
    if (col.aborted) return await run.finish("aborted", ABORTED_MESSAGE);
    if ((col.split === 0 && !req.awaitingTotals) || setup.only !== undefined) return undefined;
    if (req.calls === 0 && col.delivered === 0) return undefined; // no progress: leave the rest to a later run
  }
}

/** `collectStage` in this thread with `collector`. */
function inThread(collector: CollectorFactory | undefined): CollectStageRunner {
  return (x) => {
    if (!collector) throw new TypeError("runExport needs `collector` or `collectStage`");
    return collectStage({ ...x, collector });
  };
}

/** The collector failed (not one file): pause with its Chinese message. */
function pauseOnCollectError(run: RunContext, e: unknown): Promise<RunExportResult> {
  const error = e instanceof LarkError ? e : new LarkError(String((e as Error)?.message ?? e), {
    cause: e,
    hint: "收集导出文件时出错",
  });
  run.log.error("collect_failed", error.toJSON());
  return run.finish(
    "paused",
    `已暂停：${error.userMessage()} 已完成的窗口均已保存，处理后重新运行即可继续。`,
    { error },
  );
}

/** How many windows (of `only`, if set) still wait to be exported or delivered. */
function waitingWindows(run: RunContext, only: number | undefined): number {
  return run.ledger.list().filter((w) =>
    (w.state === "planned" || w.state === "requested" || w.state === "delivered") &&
    (only === undefined || w.id === only)
  ).length;
}

/** Merge the window files, verify the run, and end with the verdict. */
async function mergeAndVerify(
  run: RunContext,
  setup: RunSetup,
  signal: AbortSignal | undefined,
): Promise<RunExportResult> {
  let done;
  try {
    const before = run.ledger.list();
    done = await mergeThenVerify({
      config: run.config,
      runDir: run.runDir,
      range: run.range,
      ledger: run.ledger,
      settings: setup.settings,
      now: () => run.clock.now(),
      logger: run.log,
      signal,
      onStep: (step) => {
        run.stage = step;
        run.progress();
      },
    });
    logChanged(run, before);
  } catch (e) {
    if (signal?.aborted) return await run.finish("aborted", ABORTED_MESSAGE);
    throw e;
  }
  const { mergedPath, verify } = done;
  if (verify.ok) {
    return await run.finish("done", verify.status === "warn" ? "完成（有警告，见报告）" : "完成，校验通过", {
      verify,
      mergedPath,
    });
  }
  const failedWindows = run.ledger.list().filter((w) => w.state === "failed" && w.reasonCode !== "overcap")
    .length;
  return await run.finish(
    "verify_failed",
    `校验未通过（${verify.checks.filter((x) => x.status === "fail").map((x) => x.title).join("、")}）` +
      (failedWindows ? `，其中 ${failedWindows} 个窗口失败，可用 --retry-failed 重试` : "") +
      `；详见 ${run.runDir}/verify.md`,
    { verify, mergedPath },
  );
}
