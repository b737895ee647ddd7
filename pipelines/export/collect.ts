/**
 * The collect stage: poll the collector for "导出完成" notices until every
 * requested window has its notice (or the delivery timeout passes), match
 * them to windows, download each file, check that it opens as xlsx, rename
 * it by the template and record it in the ledger. Notices of split windows
 * are matched too (so order-based matching stays aligned) but not downloaded.
 *
 * @module
 */
import type { Logger } from "../../lib/log/logger.ts";
import type { Clock } from "../../lib/time/clock.ts";
import { CollectRun } from "./_collect_run.ts";
import type { CollectorFactory } from "./collector.ts";
import type { ExportLedger } from "./ledger.ts";
import type { FileParser } from "./parse_files.ts";
import type { ResolvedPlanOptions } from "./plan.ts";
import type { CollectRecord, StageLog } from "./stage_log.ts";
import type { ExportWindow } from "./window.ts";

/** Options of {@linkcode collectStage}. */
export interface CollectStageOptions {
  /** Window state. */
  ledger: ExportLedger;
  /** Creates the collector on first need (not at all when nothing waits). */
  collector: CollectorFactory;
  /** Where renamed window files go. */
  filesDir: string;
  /** Where the collector downloads to (stray `.part` files there are removed). */
  downloadDir: string;
  /** File name template. */
  fileTemplate: string;
  /** Planner settings (a total learnt from a notice may still split a window). */
  plan: ResolvedPlanOptions;
  /** Time between polls, ms (default 5000). */
  pollIntervalMs?: number;
  /** Give up on a window's notice after this long, ms (default 900 000). */
  deliveryTimeoutMs?: number;
  /** Download attempts per window and run (default 3). */
  downloadAttempts?: number;
  /** Allowed clock difference to the messenger, ms (default 120 000). */
  skewMs?: number;
  /** Only this window. */
  onlyWindow?: number;
  /** Time source. */
  clock?: Clock;
  /** Stop. */
  signal?: AbortSignal;
  /**
   * Parses each download in a read-only Worker (default: one started here
   * that may read `downloadDir` only; the collect Worker gets one over a port).
   */
  parser?: FileParser;
  /** Collect events. */
  collectLog?: StageLog<CollectRecord>;
  /** After each window changes. */
  onWindow?: (w: ExportWindow) => void;
  /** Logger. */
  logger?: Logger;
}

/** What the stage did. */
export interface CollectStageResult {
  /** Notices matched. */
  delivered: number;
  /** Files saved. */
  downloaded: number;
  /** Windows that got no notice in time. */
  timedOut: number;
  /** Windows whose file would not open. */
  badFiles: number;
  /** Windows that turned out to need splitting (total learnt from the notice). */
  split: number;
  /** True when the signal stopped it. */
  aborted: boolean;
}

export { awaitingFile } from "./_collect_run.ts";

/**
 * Runs the collect stage without a collector of this thread: `collectStage`
 * with `RunExportOptions.collector`, or `collectStageInWorker`, which builds
 * its collector in the Worker.
 */
export type CollectStageRunner = (o: Omit<CollectStageOptions, "collector">) => Promise<CollectStageResult>;

/** Run the collect stage; see the module doc. */
export async function collectStage(o: CollectStageOptions): Promise<CollectStageResult> {
  const run = new CollectRun(o);
  if (run.pending().length === 0) return run.result;
  await run.prepareDirs();
  try {
    await run.open();
    while (await run.round()) await run.pause();
  } catch (e) {
    if (!o.signal?.aborted) throw e;
  } finally {
    await run.close();
  }
  run.result.aborted = !!o.signal?.aborted;
  return run.result;
}
