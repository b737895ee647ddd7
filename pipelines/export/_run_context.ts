/**
 * The open run directory of `runExport` (internal): lock, ledger, stage
 * files, progress, and the report every ending writes.
 *
 * @module
 */
import type { LarkError } from "../../lib/errors/lark_error.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import type { NdjsonWriter } from "../../lib/ndjson/ndjson_writer.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import { lockRunDir } from "./_run_setup.ts";
import { ExportLedger } from "./ledger.ts";
import type { CountClient } from "./plan_count.ts";
import {
  type ExportProgress,
  type ExportSummary,
  formatReportMarkdown,
  progressOf,
  summarize,
  windowRecord,
  writeReport,
} from "./report.ts";
import { countClientOf, type ExportClient } from "./request.ts";
import { openStageLog, readStageLog, type StageName, type StageRecords } from "./stage_log.ts";
import type { VerifyReport } from "./verify.ts";
import type { ExportWindow } from "./window.ts";
import type { ExportConfig } from "./config.ts";

/** How a run ended. */
export type RunStatus = "done" | "paused" | "aborted" | "incomplete" | "verify_failed";

/** The result of `runExport`. */
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

/** The message of an interrupted run. */
export const ABORTED_MESSAGE = "已中断；重新运行即可从中断处继续。";

type StageWriters = { [K in Exclude<StageName, "count">]: NdjsonWriter<StageRecords[K]> };

/** What an open run directory holds while `runExport` works on it. */
export class RunContext {
  /** Validated configuration. */
  readonly config: ExportConfig;
  /** Run directory (no trailing slash). */
  readonly runDir: string;
  /** Time source. */
  readonly clock: Clock;
  /** Logger. */
  readonly log: Logger;
  /** Window state (the resume index). */
  readonly ledger: ExportLedger;
  /** The stage files. */
  readonly logs: StageWriters;
  /** Exact counts, when there is a count source. */
  readonly counter: CountClient | null;
  /** `count.ndjson`, only with a count source (without one the run directory stays as it was). */
  readonly countLog?: NdjsonWriter<StageRecords["count"]>;
  /** Range of the run (set by the setup step). */
  range: { start: string; end: string } = { start: "", end: "" };
  /** The stage shown in progress. */
  stage: ExportProgress["stage"] = "request";
  #lock: Deno.FsFile;
  #t0: number;
  #doneAtStart = 0;
  #onProgress?: (p: ExportProgress) => void;

  private constructor(
    o: OpenRunOptions,
    runDir: string,
    lock: Deno.FsFile,
    ledger: ExportLedger,
    clock: Clock,
  ) {
    this.config = o.config;
    this.runDir = runDir;
    this.clock = clock;
    this.log = o.logger ?? silentLogger;
    this.ledger = ledger;
    this.#lock = lock;
    this.#t0 = clock.now();
    this.#onProgress = o.onProgress;
    this.logs = {
      plan: openStageLog(runDir, "plan"),
      request: openStageLog(runDir, "request"),
      collect: openStageLog(runDir, "collect"),
      windows: openStageLog(runDir, "windows"),
    };
    this.counter = o.counter === null ? null : o.counter ?? countClientOf(o.client) ?? null;
    this.countLog = this.counter ? openStageLog(runDir, "count") : undefined;
  }

  /** Create and lock the run directory, open its ledger and stage files. */
  static async open(o: OpenRunOptions): Promise<RunContext> {
    const clock = o.clock ?? systemClock;
    const runDir = (o.runDir ?? o.config.output.dir).replace(/\/+$/, "");
    await Deno.mkdir(runDir, { recursive: true });
    const lock = await lockRunDir(runDir);
    try {
      return new RunContext(o, runDir, lock, ExportLedger.open(`${runDir}/ledger.sqlite`, { clock }), clock);
    } catch (e) {
      lock.close();
      throw e;
    }
  }

  /** Windows already finished when the run started (for the rate shown in progress). */
  markStart(): void {
    this.#doneAtStart = this.ledger.list().filter((w) => w.state !== "split" && w.filePath).length;
  }

  /** Report progress. */
  progress(): void {
    this.#onProgress?.(
      progressOf(this.ledger.list(), this.range, this.stage, {
        startedAt: this.#t0,
        now: this.clock.now(),
        doneAtStart: this.#doneAtStart,
      }),
    );
  }

  /** A window changed: log it to `windows.ndjson` (every change), report progress. */
  readonly onWindow = (w: ExportWindow): void => {
    this.logWindow(w);
    this.progress();
  };

  /** Append the window as it is now to `windows.ndjson`. */
  logWindow(w: ExportWindow): void {
    this.logs.windows.append(windowRecord(w, this.clock.now()));
  }

  /** End the run: sum up the stage files and the ledger, write `report.md`, return the result. */
  async finish(
    status: RunStatus,
    message: string,
    extra: Partial<RunExportResult> = {},
  ): Promise<RunExportResult> {
    this.stage = "report";
    const requests = await readStageLog(this.runDir, "request");
    const counts = await readStageLog(this.runDir, "count");
    const windows = this.ledger.list();
    const v = extra.verify;
    const merged = extra.mergedPath && v && v.totals.mergedRows !== null
      ? { path: extra.mergedPath, rows: v.totals.mergedRows, duplicates: v.totals.duplicates ?? 0 }
      : undefined;
    const summary = summarize(windows, requests, {
      range: this.range,
      cap: this.config.plan.row_cap,
      outcome: message,
      merged,
      elapsedMs: this.clock.now() - this.#t0,
      countCalls: counts.filter((r) => r.outcome === "ok").length,
    });
    const reportPath = `${this.runDir}/report.md`;
    await writeReport(reportPath, formatReportMarkdown(summary, windows, v));
    this.progress();
    return {
      status,
      exitCode: EXIT[status],
      message,
      summary,
      range: this.range,
      runDir: this.runDir,
      reportPath,
      ...extra,
    };
  }

  /** Close the stage files, the ledger and the lock. */
  close(): void {
    for (const l of Object.values(this.logs)) l.close();
    this.countLog?.close();
    this.ledger.close();
    this.#lock.close();
  }
}

/** What {@linkcode RunContext.open} needs. */
export interface OpenRunOptions {
  /** Validated configuration. */
  config: ExportConfig;
  /** Export calls (its `countRecords`, if any, is the default count source). */
  client: ExportClient;
  /** Exact counts (`null`: plan without counts). */
  counter?: CountClient | null;
  /** Run directory (default `config.output.dir`). */
  runDir?: string;
  /** Time source. */
  clock?: Clock;
  /** Logger. */
  logger?: Logger;
  /** Progress after every window change and stage switch. */
  onProgress?: (p: ExportProgress) => void;
}
