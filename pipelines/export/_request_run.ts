/**
 * The steps of the request stage (internal): one {@linkcode RequestRun}
 * per `requestStage` call holds the stop signal, the failure streak and the
 * counting state; plus the window verdicts the collect stage shares.
 *
 * @module
 */
import type { ExportTask } from "../../lib/clm/export_api.ts";
import { LarkError } from "../../lib/errors/lark_error.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import { checkExportTotal, type Counting, proposeWithCounts, startCounting } from "./_request_count.ts";
import { spanDays } from "./dates.ts";
import type { ExportLedger } from "./ledger.ts";
import {
  judgeWindow,
  type PlannedWindow,
  planNext,
  type PlanWindow,
  type ResolvedPlanOptions,
} from "./plan.ts";
import type { CountClient } from "./plan_count.ts";
import type { RequestStageOptions, RequestStageResult } from "./request.ts";
import type { RequestRecord } from "./stage_log.ts";
import type { ExportWindow } from "./window.ts";

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

const FATAL_KINDS = ["session", "auth", "config", "permission"];

/** One run of the request stage. */
export class RequestRun {
  /** What the stage did so far. */
  readonly result: RequestStageResult = {
    calls: 0,
    countCalls: 0,
    split: 0,
    overcap: 0,
    failed: 0,
    aborted: false,
    awaitingTotals: false,
  };
  /** Export calls in flight at once. */
  readonly concurrency: number;
  #o: RequestStageOptions;
  #clock: Clock;
  #log: Logger;
  #stop = new AbortController();
  #signal: AbortSignal;
  #streak = 0;
  #counting?: Counting;

  /** A run over `o`; with a count source (and not `onlyWindow`), counting starts. */
  constructor(o: RequestStageOptions, counter: CountClient | undefined) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = o.logger ?? silentLogger;
    this.#signal = o.signal ? AbortSignal.any([o.signal, this.#stop.signal]) : this.#stop.signal;
    this.concurrency = Math.max(1, o.concurrency ?? 1);
    this.#counting = counter && o.onlyWindow === undefined
      ? startCounting(counter, {
        ledger: o.ledger,
        view: planView,
        signal: this.#signal,
        log: o.countLog,
        logger: this.#log,
        now: () => this.#now(),
      })
      : undefined;
  }

  /** True once the caller's signal, a pause or a fatal answer stopped the stage. */
  get stopped(): boolean {
    return this.#signal.aborted;
  }

  /**
   * The planned windows to request next, planning a new batch when none
   * waits; empty when the range is covered, the stage is waiting for totals,
   * or it stopped.
   */
  async nextBatch(): Promise<ExportWindow[]> {
    const o = this.#o;
    const planned = o.ledger.list().filter((w) =>
      w.state === "planned" && (o.onlyWindow === undefined || w.id === o.onlyWindow)
    );
    if (planned.length > 0 || o.onlyWindow !== undefined) return planned;
    const unknown = o.ledger.list().filter((w) => w.state === "requested" && w.declaredTotal === null).length;
    if (unknown >= (o.maxUnknownTotals ?? 2)) {
      this.result.awaitingTotals = true;
      return [];
    }
    const proposed = await this.#proposeWithCounts();
    if (this.stopped) return [];
    const batch = this.#insertPlans(proposed);
    for (const w of batch) o.onWindow?.(w);
    return batch;
  }

  /** Request up to `concurrency` windows of `batch` at once. */
  async requestBatch(batch: readonly ExportWindow[]): Promise<void> {
    await Promise.all(batch.slice(0, this.concurrency).map((w) => this.#requestOne(w)));
  }

  /** The result, with the counting figures. */
  finish(): RequestStageResult {
    this.result.aborted = !!this.#o.signal?.aborted;
    this.result.countCalls = this.#counting?.oracle.calls ?? 0;
    this.result.countsDisabled = this.#counting?.disabled;
    return this.result;
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  /** The common fields of a `request.ndjson` line about `w`. */
  #about(w: ExportWindow) {
    return { type: "request" as const, window_id: w.id, start: w.start, end: w.end, at: this.#now() };
  }

  /** Windows proposed from exact counts (undefined without counts: the learning planner decides). */
  async #proposeWithCounts(): Promise<PlannedWindow[] | undefined> {
    if (!this.#counting?.enabled) return undefined;
    const o = this.#o;
    const r = await proposeWithCounts(
      this.#counting,
      planView(o.ledger.list()),
      o.plan,
      this.concurrency,
      this.#signal,
    );
    if (r.paused) {
      this.result.paused ??= r.paused;
      this.#stop.abort(r.paused);
    }
    return r.plans;
  }

  /** Insert the next windows (or return those another process planned meanwhile), logging each plan. */
  #insertPlans(proposed: PlannedWindow[] | undefined): ExportWindow[] {
    const o = this.#o;
    return o.ledger.transaction(() => {
      const all = o.ledger.list();
      const waiting = all.filter((w) => w.state === "planned");
      if (waiting.length) return waiting;
      return (proposed ?? planNext(planView(all), o.plan, this.concurrency)).map((p) => {
        const w = o.ledger.insert(p);
        o.planLog?.append({
          type: "plan",
          at: this.#now(),
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
  }

  /** Start one window's export; record the task, or the failure. */
  async #requestOne(w: ExportWindow): Promise<void> {
    const o = this.#o;
    const started = o.ledger.update(w.id, { attempts: w.attempts + 1 }, ["planned"]);
    if (!started) return; // someone else took it
    const t0 = this.#clock.now();
    let task: ExportTask;
    try {
      task = await o.client.exportRecords({ start: w.start, end: w.end }, {
        signal: this.#signal,
        ids: { window_id: w.id },
      });
    } catch (e) {
      if (o.signal?.aborted || (this.#signal.aborted && !(e instanceof LarkError))) return; // stays planned
      if (!(e instanceof LarkError)) throw e; // a bug, not a Feishu answer
      this.#exportFailed(w, e);
      return;
    }
    this.#exported(w, task, t0);
  }

  /** Record a started export and apply its declared total. */
  #exported(w: ExportWindow, task: ExportTask, t0: number): void {
    const o = this.#o;
    this.#streak = 0;
    this.result.calls++;
    let cur = o.ledger.update(w.id, {
      state: "requested",
      taskId: task.taskId,
      requestedAt: this.#clock.now(),
      declaredTotal: task.total ?? null,
      noticeId: null,
      noticeText: null,
      noticeAt: null,
      reasonCode: null,
      reason: null,
    })!;
    let outcome: RequestRecord["outcome"] = "unknown_total";
    if (task.total !== undefined && this.#counting) checkExportTotal(this.#counting, cur, task.total);
    if (task.total !== undefined) {
      const applied = applyTotal(o.ledger, cur, task.total, o.plan);
      cur = applied.window;
      outcome = applied.verdict;
      if (applied.verdict === "split") this.result.split++;
      if (applied.verdict === "overcap") this.result.overcap++;
    }
    o.requestLog?.append({
      ...this.#about(w),
      outcome,
      task_id: task.taskId,
      total: task.total,
      attempts: task.attempts,
      elapsed_ms: this.#clock.now() - t0,
    });
    this.#log.info("export_requested", {
      window_id: w.id,
      start: w.start,
      end: w.end,
      total: task.total,
      outcome,
    });
    o.onWindow?.(cur);
  }

  /**
   * A failed export fails its window; a credential failure, or too many
   * failures in a row, pauses the stage.
   */
  #exportFailed(w: ExportWindow, err: LarkError): void {
    const o = this.#o;
    const message = err.userMessage();
    const fatal = FATAL_KINDS.includes(err.kind);
    const pause = fatal || ++this.#streak >= (o.maxConsecutiveFailures ?? 3);
    if (pause) {
      this.result.paused ??= fatal
        ? err
        : new LarkError(err.message, { cause: err, hint: `导出接口连续失败：${message}` });
    }
    o.requestLog?.append({
      ...this.#about(w),
      outcome: pause ? "paused" : "error",
      error: { kind: err.kind, message },
    });
    if (!fatal) {
      const failed = o.ledger.fail(w.id, "export_error", `导出失败：${message}`);
      if (failed) o.onWindow?.(failed);
      this.result.failed++;
    }
    if (pause) this.#stop.abort(err);
    else this.#log.warn("export_failed", { window_id: w.id, start: w.start, end: w.end, message });
  }
}
