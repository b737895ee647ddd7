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
import { LarkError } from "../../lib/errors/lark_error.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import { spanDays } from "./dates.ts";
import type { ExportLedger } from "./ledger.ts";
import { checkExportTotal, type Counting, proposeWithCounts, startCounting } from "./_request_count.ts";
import {
  judgeWindow,
  type PlannedWindow,
  planNext,
  type PlanWindow,
  type ResolvedPlanOptions,
} from "./plan.ts";
import type { CountClient } from "./plan_count.ts";
import type { CountRecord, PlanRecord, RequestRecord, StageLog } from "./stage_log.ts";
import type { ExportWindow } from "./window.ts";

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

/** Chinese reason of a smallest window over the cap. */
export function overcapReason(days: number, total: number, cap: number): string {
  return days === 1
    ? `单日超过 ${cap} 条（共 ${total} 条），无法按日期拆分`
    : `${days} 天窗口已是最小窗口，仍超过 ${cap} 条（共 ${total} 条），无法按日期拆分`;
}

/** Windows as the planner sees them. */
export function planView(windows: readonly ExportWindow[]): PlanWindow[] {
  return windows.map((w) => ({
    id: w.id,
    start: w.start,
    end: w.end,
    state: w.state,
    total: w.declaredTotal,
    overcap: w.reasonCode === "overcap",
  }));
}

/**
 * Apply a declared total to a requested window: `requested` when under the
 * threshold, `split` when it must be split, `failed` (code `overcap`, its
 * file still downloaded) when a smallest window exceeds the cap.
 */
export function applyTotal(
  ledger: ExportLedger,
  w: ExportWindow,
  total: number,
  plan: ResolvedPlanOptions,
): { window: ExportWindow; verdict: "ok" | "split" | "overcap" } {
  const days = spanDays(w.start, w.end);
  const verdict = judgeWindow(days, total, plan);
  const patch = verdict === "split"
    ? { state: "split" as const, declaredTotal: total }
    : verdict === "overcap"
    ? {
      state: "failed" as const,
      reasonCode: "overcap" as const,
      reason: overcapReason(days, total, plan.cap),
      declaredTotal: total,
    }
    : { declaredTotal: total };
  return { window: ledger.update(w.id, patch) ?? w, verdict };
}

/** Run the request stage until every day of the range is covered, or it pauses/aborts. */
export async function requestStage(o: RequestStageOptions): Promise<RequestStageResult> {
  const clock = o.clock ?? systemClock;
  const log = o.logger ?? silentLogger;
  const res: RequestStageResult = {
    calls: 0,
    countCalls: 0,
    split: 0,
    overcap: 0,
    failed: 0,
    aborted: false,
    awaitingTotals: false,
  };
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  const concurrency = Math.max(1, o.concurrency ?? 1);
  let streak = 0;
  const now = () => new Date(clock.now()).toISOString();
  const counter = o.counter === null ? undefined : o.counter ?? countClientOf(o.client);
  const counting: Counting | undefined = counter && o.onlyWindow === undefined
    ? startCounting(counter, { ledger: o.ledger, view: planView, signal, log: o.countLog, logger: log, now })
    : undefined;

  const requestOne = async (w: ExportWindow) => {
    const started = o.ledger.update(w.id, { attempts: w.attempts + 1 }, ["planned"]);
    if (!started) return; // someone else took it
    const t0 = clock.now();
    const base = { type: "request" as const, window_id: w.id, start: w.start, end: w.end };
    let task: ExportTask;
    try {
      task = await o.client.exportRecords({ start: w.start, end: w.end }, {
        signal,
        ids: { window_id: w.id },
      });
    } catch (e) {
      if (o.signal?.aborted || (signal.aborted && !(e instanceof LarkError))) return; // stays planned
      if (!(e instanceof LarkError)) throw e; // a bug, not a Feishu answer
      const err = e;
      const message = err.userMessage();
      const fatal = ["session", "auth", "config", "permission"].includes(err.kind);
      if (fatal || ++streak >= (o.maxConsecutiveFailures ?? 3)) {
        res.paused ??= fatal
          ? err
          : new LarkError(err.message, { cause: err, hint: `导出接口连续失败：${message}` });
        o.requestLog?.append({
          ...base,
          at: now(),
          outcome: "paused",
          error: { kind: err.kind, message },
        });
        if (!fatal) {
          const failed = o.ledger.fail(w.id, "export_error", `导出失败：${message}`);
          if (failed) o.onWindow?.(failed);
          res.failed++;
        }
        stop.abort(e);
        return;
      }
      o.requestLog?.append({
        ...base,
        at: now(),
        outcome: "error",
        error: { kind: err.kind, message },
      });
      const failed = o.ledger.fail(w.id, "export_error", `导出失败：${message}`);
      if (failed) o.onWindow?.(failed);
      res.failed++;
      log.warn("export_failed", { window_id: w.id, start: w.start, end: w.end, message });
      return;
    }
    streak = 0;
    res.calls++;
    let cur = o.ledger.update(w.id, {
      state: "requested",
      taskId: task.taskId,
      requestedAt: clock.now(),
      declaredTotal: task.total ?? null,
      noticeId: null,
      noticeText: null,
      noticeAt: null,
      reasonCode: null,
      reason: null,
    })!;
    let outcome: RequestRecord["outcome"] = "unknown_total";
    if (task.total !== undefined && counting) checkExportTotal(counting, cur, task.total);
    if (task.total !== undefined) {
      const applied = applyTotal(o.ledger, cur, task.total, o.plan);
      cur = applied.window;
      outcome = applied.verdict;
      if (applied.verdict === "split") res.split++;
      if (applied.verdict === "overcap") res.overcap++;
    }
    o.requestLog?.append({
      ...base,
      at: now(),
      outcome,
      task_id: task.taskId,
      total: task.total,
      attempts: task.attempts,
      elapsed_ms: clock.now() - t0,
    });
    log.info("export_requested", { window_id: w.id, start: w.start, end: w.end, total: task.total, outcome });
    o.onWindow?.(cur);
  };

  while (!signal.aborted) {
    let batch = o.ledger.list().filter((w) =>
      w.state === "planned" && (o.onlyWindow === undefined || w.id === o.onlyWindow)
    );
    if (batch.length === 0) {
      if (o.onlyWindow !== undefined) break;
      const unknown = o.ledger.list().filter((w) =>
        w.state === "requested" && w.declaredTotal === null
      ).length;
      if (unknown >= (o.maxUnknownTotals ?? 2)) {
        res.awaitingTotals = true;
        break;
      }
      let proposed: PlannedWindow[] | undefined;
      if (counting?.enabled) {
        const r = await proposeWithCounts(counting, planView(o.ledger.list()), o.plan, concurrency, signal);
        if (r.paused) {
          res.paused ??= r.paused;
          stop.abort(r.paused);
        }
        if (signal.aborted) break;
        proposed = r.plans;
      }
      batch = o.ledger.transaction(() => {
        const all = o.ledger.list();
        const waiting = all.filter((w) => w.state === "planned");
        if (waiting.length) return waiting;
        return (proposed ?? planNext(planView(all), o.plan, concurrency)).map((p) => {
          const w = o.ledger.insert(p);
          o.planLog?.append({
            type: "plan",
            at: now(),
            window_id: w.id,
            start: p.start,
            end: p.end,
            parent_id: p.parentId,
            basis: p.basis,
            estimate: p.estimate,
            density: p.density,
          });
          return w;
        });
      });
      for (const w of batch) o.onWindow?.(w);
      if (batch.length === 0) break;
    }
    await Promise.all(batch.slice(0, concurrency).map(requestOne));
  }
  res.aborted = !!o.signal?.aborted;
  res.countCalls = counting?.oracle.calls ?? 0;
  res.countsDisabled = counting?.disabled;
  return res;
}

/** The client itself when it can also count (has `countRecords`). */
export function countClientOf(client: ExportClient): CountClient | undefined {
  return typeof client.countRecords === "function" ? client as CountClient : undefined;
}
