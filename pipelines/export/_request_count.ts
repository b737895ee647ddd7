/**
 * Count-based planning inside the request stage (internal): the oracle over
 * the ledger's stored counts, proposing windows with it, pausing on a refused
 * session, falling back to the learning planner on other failures, and
 * switching counts off when they keep disagreeing with the export totals.
 *
 * @module
 */
import { LarkError } from "../../lib/errors/lark_error.ts";
import type { Logger } from "../../lib/log/logger.ts";
import type { ExportLedger } from "./ledger.ts";
import type { PlannedWindow, PlanWindow, ResolvedPlanOptions } from "./plan.ts";
import { type CountClient, CountOracle, planNextCounted } from "./plan_count.ts";
import type { CountRecord, StageLog } from "./stage_log.ts";
import type { ExportWindow } from "./window.ts";

/** Consecutive failed count searches, or count/export disagreements, that switch counts off. */
export const COUNT_GIVE_UP = 3;

/** Error kinds that pause the run (the user must act) instead of falling back. */
const FATAL = ["session", "auth", "config", "permission"];

/** State of count-based planning for one request stage. */
export interface Counting {
  /** Known counts and the count source. */
  oracle: CountOracle;
  /** False once switched off for the rest of the stage. */
  enabled: boolean;
  /** Consecutive failed searches. */
  failures: number;
  /** Export totals that differed from the known count of their range. */
  mismatches: number;
  /** Why counts were switched off (Chinese). */
  disabled?: string;
  /** Count log. */
  log?: StageLog<CountRecord>;
  /** Logger. */
  logger: Logger;
  /** ISO time now. */
  now: () => string;
}

/** Start counting over the ledger: stored counts and export totals are known from the start. */
export function startCounting(
  client: CountClient,
  o: {
    ledger: ExportLedger;
    view: (w: readonly ExportWindow[]) => PlanWindow[];
    signal: AbortSignal;
    log?: StageLog<CountRecord>;
    logger: Logger;
    now: () => string;
  },
): Counting {
  const oracle = new CountOracle(client, {
    store: o.ledger,
    signal: o.signal,
    onQuery: (q) =>
      o.log?.append({
        type: "count",
        at: o.now(),
        start: q.start,
        end: q.end,
        outcome: "ok",
        total: q.total,
        attempts: q.attempts,
        elapsed_ms: q.elapsedMs,
      }),
  });
  const conflicts = oracle.prime(o.view(o.ledger.list()));
  if (conflicts) o.logger.warn("count_conflicts", { stored: conflicts });
  return { oracle, enabled: true, failures: 0, mismatches: 0, log: o.log, logger: o.logger, now: o.now };
}

/**
 * Propose windows with counts. Resolves with the windows, or with `paused`
 * (a refused session, a wrong configuration), or with nothing when the search
 * failed otherwise or was aborted (the caller then plans without counts, or
 * stops).
 */
export async function proposeWithCounts(
  c: Counting,
  windows: readonly PlanWindow[],
  plan: ResolvedPlanOptions,
  concurrency: number,
  signal: AbortSignal,
): Promise<{ plans?: PlannedWindow[]; paused?: LarkError }> {
  try {
    const plans = await planNextCounted(windows, plan, c.oracle, concurrency);
    c.failures = 0;
    return { plans };
  } catch (e) {
    if (signal.aborted && !(e instanceof LarkError)) return {};
    if (!(e instanceof LarkError)) throw e; // a bug, not a Feishu answer
    const message = e.userMessage();
    const fatal = FATAL.includes(e.kind);
    c.log?.append({
      type: "count",
      at: c.now(),
      outcome: fatal ? "paused" : "error",
      error: { kind: e.kind, message },
    });
    if (fatal) {
      // The count uses the export's cookie, so the error's own hint (refresh the cURL or cookie) applies.
      c.logger.warn("count_paused", { kind: e.kind, message });
      return { paused: e };
    }
    c.logger.warn("count_failed", { message });
    if (++c.failures >= COUNT_GIVE_UP) {
      disable(
        c,
        `计数查询连续失败 ${COUNT_GIVE_UP} 次（${message}），本次运行改为按已导出窗口的密度估算窗口大小`,
      );
    }
    return {};
  }
}

/**
 * Compare an export's declared total with the known count of its range. A
 * difference means the list request does not select what the export selects
 * (other filters, another page): after a few, counts are switched off.
 */
export function checkExportTotal(c: Counting, w: Pick<ExportWindow, "start" | "end">, total: number): void {
  const known = c.oracle.knownCount(w.start, w.end);
  if (known === undefined || known === total) return;
  c.mismatches++;
  c.logger.warn("count_mismatch", { start: w.start, end: w.end, counted: known, declared: total });
  if (c.mismatches >= COUNT_GIVE_UP && c.enabled) {
    disable(
      c,
      `计数查询与导出声明的条数已有 ${c.mismatches} 次不一致（如 ${w.start} 至 ${w.end}：计数 ${known} 条，` +
        `导出 ${total} 条）：count.curl 复制的列表请求与导出请求的筛选条件可能不同，本次运行改为按密度估算`,
    );
  }
}

function disable(c: Counting, reason: string): void {
  c.enabled = false;
  c.disabled = reason;
  c.log?.append({
    type: "count",
    at: c.now(),
    outcome: "disabled",
    error: { kind: "disabled", message: reason },
  });
  c.logger.warn("count_disabled", { reason });
}
