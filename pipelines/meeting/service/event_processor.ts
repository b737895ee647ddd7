import { ConfigError } from "../../../lib/errors/config_error.ts";
import { LarkError } from "../../../lib/errors/lark_error.ts";
import type { StoredEvent } from "../../../lib/events/event_store.ts";
import type { SqliteEventStore } from "../../../lib/events/event_store_sqlite.ts";
import { MEETING_ENDED_EVENT, type MeetingEnded, meetingEnded } from "../../../lib/events/meeting_ended.ts";
import { type Logger, silentLogger } from "../../../lib/log/logger.ts";
import { type Clock, systemClock } from "../../../lib/time/clock.ts";
import { jobInputFromMeeting } from "../intake.ts";
import type { MeetingWorker } from "../worker.ts";

/** Options of {@linkcode EventProcessor}. */
export interface EventProcessorOptions {
  /** The durable event store intake writes to. */
  events: Pick<SqliteEventStore, "claimNext" | "markDone" | "markFailed" | "release">;
  /** The job runner; events become jobs through its `enqueue`. */
  worker: Pick<MeetingWorker, "enqueue">;
  /**
   * The tenant user id of a meeting's owner (e.g. `OwnerResolver.userId`);
   * `undefined` when it cannot be known. Default: the event's `owner.user_id`.
   */
  resolveUserId?: (meeting: MeetingEnded, signal?: AbortSignal) => Promise<string | undefined>;
  /** Longest idle wait between looks for new events, ms (default 1000; `wake` cuts it short). */
  pollIntervalMs?: number;
  /** Wait before an event that failed for a transient reason is tried again, ms (default 30 000). */
  retryDelayMs?: number;
  /**
   * Tries of one event before it is set aside as failed for good, with its reason
   * (default 5; `events.max_attempts`). Also bounds events whose processing never ends
   * (the store sets them aside once claimed this often).
   */
  maxAttempts?: number;
  /** Processing one event longer than this makes the processor unhealthy, ms (default 300 000). */
  stuckAfterMs?: number;
  /** Loop errors in a row (store unreadable, disk full…) that make it unhealthy (default 3). */
  unhealthyAfterErrors?: number;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Logger (event ids and types, never payloads). */
  logger?: Logger;
}

/** Counters of an {@linkcode EventProcessor}. */
export interface EventProcessorStats {
  /** Events claimed. */
  claimed: number;
  /** Meeting-ended events that created a job. */
  jobsCreated: number;
  /** Meeting-ended events whose job existed already (same meeting and owner). */
  duplicates: number;
  /** Events of other types, acknowledged and logged. */
  ignored: number;
  /** Events failed for good. */
  failed: number;
  /** Events put back for a later try. */
  retried: number;
}

/** Health of an {@linkcode EventProcessor}, as `/healthz` reports it. */
export interface EventProcessorHealth {
  /** False when the loop keeps failing, is stuck on one event, or stopped on its own. */
  ok: boolean;
  /** Why not ok (Chinese). */
  reason?: string;
  /** Loop errors in a row (0 after a good round). */
  consecutiveErrors: number;
  /** The last loop error, masked by the logger's rules when logged; here only its message. */
  lastError?: string;
  /** When the last loop error happened, ms epoch. */
  lastErrorAt?: number;
  /** The event being processed now and since when (ms epoch). */
  busy?: { eventId: string; since: number };
}

const NO_USER_ID = "会议结束事件中没有所有者的 user_id，且无法通过通讯录查到：" +
  "请为应用开通 contact:user.employee_id:readonly（获取用户 user_id）权限并发布新版本。";

/**
 * Turns stored events into jobs: claims events from the durable store (the
 * webhook and the long connection only store them), and for each
 * `vc.meeting.all_meeting_ended_v1` enqueues one job for the meeting's owner
 * (the open id is mapped to a tenant user id when the event lacks one), then
 * marks the event done. Other event types are logged and marked done. A
 * malformed event fails for good; a transient failure (contact lookup,
 * database busy) is retried later. Enqueueing is idempotent, so an event
 * processed twice (crash between enqueue and done) still gives one job.
 *
 * @example
 * ```ts
 * import type { OwnerResolver } from "./owner_resolver.ts";
 *
 * declare const { events, worker }: EventProcessorOptions;
 * declare const owners: OwnerResolver, signal: AbortSignal;
 * const processor = new EventProcessor({
 *   events,
 *   worker,
 *   resolveUserId: (m, s) => owners.userId(m.owner, s),
 * });
 * const done = processor.run(signal); // wake() when intake stored something new
 * ```
 */
export class EventProcessor {
  #o: EventProcessorOptions;
  #clock: Clock;
  #log: Logger;
  #wake = new AbortController();
  #stoppedOnItsOwn = false;
  #errorsInARow = 0;
  #lastError?: { message: string; at: number };
  #busy?: { eventId: string; since: number };
  #stats: EventProcessorStats = {
    claimed: 0,
    jobsCreated: 0,
    duplicates: 0,
    ignored: 0,
    failed: 0,
    retried: 0,
  };

  /** Create the processor; see {@linkcode EventProcessorOptions} for defaults. */
  constructor(options: EventProcessorOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
  }

  /** Counters so far. */
  get stats(): EventProcessorStats {
    return { ...this.#stats };
  }

  /**
   * Whether the processor is doing its job: not ok after `unhealthyAfterErrors` loop
   * errors in a row, while one event has been processing longer than `stuckAfterMs`, or
   * when its loop ended without being stopped.
   */
  health(): EventProcessorHealth {
    const now = this.#clock.now();
    const out: EventProcessorHealth = {
      ok: true,
      consecutiveErrors: this.#errorsInARow,
      lastError: this.#lastError?.message,
      lastErrorAt: this.#lastError?.at,
      busy: this.#busy ? { ...this.#busy } : undefined,
    };
    const stuckMs = this.#o.stuckAfterMs ?? 300_000;
    if (this.#stoppedOnItsOwn) {
      return { ...out, ok: false, reason: "事件处理循环意外停止，请查看日志并重启服务。" };
    }
    if (this.#errorsInARow >= (this.#o.unhealthyAfterErrors ?? 3)) {
      return {
        ...out,
        ok: false,
        reason: `事件处理连续出错 ${this.#errorsInARow} 次：${this.#lastError?.message ?? "未知错误"}`,
      };
    }
    if (this.#busy && now - this.#busy.since > stuckMs) {
      const secs = Math.round((now - this.#busy.since) / 1000);
      return { ...out, ok: false, reason: `事件处理卡住：事件 ${this.#busy.eventId} 已处理 ${secs} 秒。` };
    }
    return out;
  }

  /** Look for new events now instead of at the end of the idle wait. */
  wake(): void {
    this.#wake.abort();
  }

  /** Claim and process one event; false when none is waiting. */
  async processNext(signal?: AbortSignal): Promise<boolean> {
    const stored = await this.#o.events.claimNext({ maxAttempts: this.#maxAttempts });
    if (!stored) return false;
    this.#stats.claimed++;
    const { eventId, eventType } = stored.event;
    this.#busy = { eventId, since: this.#clock.now() };
    try {
      try {
        await this.#handle(stored, signal);
        await this.#o.events.markDone(eventId);
      } catch (e) {
        if (signal?.aborted) {
          await this.#o.events.release(eventId);
          throw e;
        }
        await this.#failed(stored, e);
      }
    } finally {
      this.#busy = undefined;
    }
    this.#log.debug("event.processed", { event_id: eventId, event_type: eventType });
    return true;
  }

  /**
   * Process events until `signal` aborts: every waiting event in turn, then
   * an idle wait of `pollIntervalMs` (or until {@linkcode EventProcessor.wake}).
   */
  async run(signal: AbortSignal): Promise<void> {
    this.#stoppedOnItsOwn = false;
    try {
      while (!signal.aborted) {
        let busy = false;
        try {
          busy = await this.processNext(signal);
          this.#errorsInARow = 0;
        } catch (e) {
          if (signal.aborted) break;
          this.#errorsInARow++;
          this.#lastError = { message: errorMessage(e), at: this.#clock.now() };
          this.#log.error("event.processor_error", { error: e, errors_in_a_row: this.#errorsInARow });
        }
        // After an error, wait too: a store that keeps failing must not spin the CPU.
        if (!busy) await this.#idle(signal);
      }
    } finally {
      this.#stoppedOnItsOwn = !signal.aborted;
    }
  }

  get #maxAttempts(): number {
    return this.#o.maxAttempts ?? 5;
  }

  async #handle(stored: StoredEvent, signal?: AbortSignal): Promise<void> {
    const e = stored.event;
    if (e.eventType !== MEETING_ENDED_EVENT) {
      this.#stats.ignored++;
      this.#log.info("event.ignored", {
        event_id: e.eventId,
        event_type: e.eventType,
        source: stored.source,
      });
      return;
    }
    const m = meetingEnded(e);
    const userId = m.owner.userId ??
      (this.#o.resolveUserId ? await this.#o.resolveUserId(m, signal) : undefined);
    const input = jobInputFromMeeting(m, userId);
    if (!input) throw new ConfigError("meeting owner has no user_id", { hint: NO_USER_ID });
    const r = this.#o.worker.enqueue(input);
    if (r.created) this.#stats.jobsCreated++;
    else this.#stats.duplicates++;
    this.#log.info("event.meeting_ended", {
      event_id: e.eventId,
      meeting_id: m.meetingId,
      user_id: userId,
      job_id: r.job.id,
      created: r.created,
      source: stored.source,
    });
  }

  async #failed(stored: StoredEvent, e: unknown): Promise<void> {
    const id = stored.event.eventId;
    const reason = errorMessage(e);
    const transient = !(e instanceof LarkError) || e.retryable;
    if (transient && stored.attempts < this.#maxAttempts) {
      this.#stats.retried++;
      const retryAtMs = this.#clock.now() + (this.#o.retryDelayMs ?? 30_000);
      this.#log.warn("event.retry_later", { event_id: id, attempts: stored.attempts, error: e });
      await this.#o.events.markFailed(id, reason, { retryAtMs });
      return;
    }
    this.#stats.failed++;
    this.#log.error("event.failed", {
      event_id: id,
      event_type: stored.event.eventType,
      attempts: stored.attempts,
      reason,
    });
    await this.#o.events.markFailed(
      id,
      transient ? `处理 ${stored.attempts} 次均失败，已搁置：${reason}` : reason,
    );
  }

  async #idle(signal: AbortSignal): Promise<void> {
    if (this.#wake.signal.aborted) this.#wake = new AbortController();
    try {
      await this.#clock.sleep(this.#o.pollIntervalMs ?? 1000, AbortSignal.any([signal, this.#wake.signal]));
    } catch {
      // woken up or stopped
    }
  }
}

function errorMessage(e: unknown): string {
  return e instanceof LarkError ? e.userMessage() : e instanceof Error ? e.message : String(e);
}
