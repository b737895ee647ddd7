/**
 * The request stage: plan windows one batch at a time and start an export
 * for each, recording the task id and the declared total in the ledger the
 * moment the call returns. A refused session (or any credential failure)
 * pauses the stage: the window being requested stays `planned`, nothing
 * recorded is lost, and the next run continues from there.
 *
 * With a count source (`counter`, or an export client that also has
 * `countRecords`) windows are planned with exact counts (`plan_count.ts`);
 * without one the learning planner (`plan.ts`) is used as before.
 *
 * @module
 */
import type { CountResult } from "../../lib/clm/count_api.ts";
import type { ExportCallOptions, ExportRange, ExportTask } from "../../lib/clm/export_api.ts";
import type { LarkError } from "../../lib/errors/lark_error.ts";
import type { Logger } from "../../lib/log/logger.ts";
import type { Clock } from "../../lib/time/clock.ts";
import type { ExportLedger } from "./ledger.ts";
import { RequestRun } from "./_request_run.ts";
import type { ResolvedPlanOptions } from "./plan.ts";
import type { CountClient } from "./plan_count.ts";
import type { CountRecord, PlanRecord, RequestRecord, StageLog } from "./stage_log.ts";
import type { ExportWindow } from "./window.ts";

export { applyTotal, overcapReason, planView } from "./_request_run.ts";

/** Starts exports (the `ExportApi` of lib/clm, or a fake in tests). */
export interface ExportClient {
  /** Start an export of the records created in `range`. */
  exportRecords(range: ExportRange, o?: ExportCallOptions): Promise<ExportTask>;
  /** Exact counts (the captured list request); when present, windows are planned with counts. */
  countRecords?(range: ExportRange, o?: ExportCallOptions): Promise<CountResult>;
}

/** Options of {@linkcode requestStage}. */
export interface RequestStageOptions {
  /** Window state. */
  ledger: ExportLedger;
  /** Export calls. */
  client: ExportClient;
  /** Exact counts; default the client's `countRecords` when it has one; `null`: plan without counts. */
  counter?: CountClient | null;
  /** Planner settings. */
  plan: ResolvedPlanOptions;
  /** Export calls in flight at once (default 1; 1 gives the fewest calls). */
  concurrency?: number;
  /** Only this window (no new planning). */
  onlyWindow?: number;
  /** Time source (default system). */
  clock?: Clock;
  /** Stop starting calls; a call in flight is abandoned (its window stays planned). */
  signal?: AbortSignal;
  /** Planner decisions. */
  planLog?: StageLog<PlanRecord>;
  /** Export calls. */
  requestLog?: StageLog<RequestRecord>;
  /** Count queries. */
  countLog?: StageLog<CountRecord>;
  /** After each window changes. */
  onWindow?: (w: ExportWindow) => void;
  /** Logger. */
  logger?: Logger;
  /** Consecutive failed windows that pause the stage (default 3). */
  maxConsecutiveFailures?: number;
  /**
   * Stop planning while this many exported windows still lack a total (the
   * export answered without one; the bot message will tell). Default 2.
   */
  maxUnknownTotals?: number;
}

/** What the stage did. */
export interface RequestStageResult {
  /** Export calls that returned. */
  calls: number;
  /** Count queries answered (0 without a count source). */
  countCalls: number;
  /** Why counts were switched off during the stage (Chinese), if they were. */
  countsDisabled?: string;
  /** Windows split. */
  split: number;
  /** Smallest windows over the cap. */
  overcap: number;
  /** Windows failed. */
  failed: number;
  /** Set when the stage paused (session refused, credentials, repeated failures). */
  paused?: LarkError;
  /** True when the signal stopped it. */
  aborted: boolean;
  /**
   * True when it stopped planning because exports answered without a total:
   * the collect stage must read the totals from the bot's messages first.
   */
  awaitingTotals: boolean;
}

/** Run the request stage until every day of the range is covered, or it pauses/aborts. */
export async function requestStage(o: RequestStageOptions): Promise<RequestStageResult> {
  const counter = o.counter === null ? undefined : o.counter ?? countClientOf(o.client);
  const run = new RequestRun(o, counter);
  while (!run.stopped) {
    const batch = await run.nextBatch();
    if (batch.length === 0) break;
    await run.requestBatch(batch);
  }
  return run.finish();
}

/** The client itself when it can also count (has `countRecords`). */
export function countClientOf(client: ExportClient): CountClient | undefined {
  return typeof client.countRecords === "function" ? client as CountClient : undefined;
}
