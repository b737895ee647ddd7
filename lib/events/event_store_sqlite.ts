import { type Clock, systemClock } from "../time/clock.ts";
import type { EventSink, EventState, StoredEvent } from "./event_store.ts";
import type { EventSource, LarkEvent } from "./lark_event.ts";
import { openSafeDatabase } from "../sqlite/open_database.ts";
import { immediate } from "../sqlite/immediate.ts";
import type { SafeDatabase, SafeRow } from "../sqlite/safe_database.ts";
import {
  type EventStatements,
  prepareEventStatements,
  SCHEMA,
  storedForm,
  toStored,
} from "./_events_table.ts";

/** Options of {@linkcode SqliteEventStore}. */
export interface SqliteEventStoreOptions {
  /** Time source (default the system clock). */
  clock?: Clock;
  /** SQLite `busy_timeout` in ms (default 5000). */
  busyTimeoutMs?: number;
  /**
   * `PRAGMA synchronous` (default `"full"`: a stored event survives a power
   * cut; `"normal"` only survives a process crash, and is faster).
   */
  synchronous?: "full" | "normal";
  /** How long a claim lasts before another worker may take the event again, ms (default 600 000). */
  leaseMs?: number;
  /**
   * Claims of one event before it is set aside as `failed` instead of claimed again
   * (default 5): an event that kills or wedges its worker every time cannot block the
   * queue. See {@linkcode SqliteEventStore.claimNext}.
   */
  maxAttempts?: number;
}

/** Options of {@linkcode SqliteEventStore.claimNext}. */
export interface ClaimOptions {
  /** Only these event types (default any). */
  types?: string[];
  /** Lease length for this claim, ms (default the store's). */
  leaseMs?: number;
  /** Claims of one event before it is set aside as `failed` (default the store's). */
  maxAttempts?: number;
}

interface Pending {
  event: LarkEvent;
  source: EventSource;
  resolve: (isNew: boolean) => void;
  reject: (e: unknown) => void;
}

/** Most events set aside by one {@linkcode SqliteEventStore.claimNext} call before it gives up for now. */
const MAX_SET_ASIDE_PER_CLAIM = 100;

/**
 * The durable event queue in a SQLite file (built-in `node:sqlite`, WAL):
 * insert-if-new by `event_id` (so a replay, even after a restart, is
 * recognised), then `pending → processing → done | failed` with leased claims
 * (a worker that dies leaves its event claimable again once the lease ends).
 * Inserts arriving together are committed in one transaction (group commit),
 * and each resolves only after that commit.
 *
 * No event can wedge the queue: every text (ids, types, reasons) round-trips
 * exactly through `lib/sqlite`'s safe statements (a NUL byte or a lone
 * surrogate in an `event_id` is kept, not cut); an event claimed
 * `maxAttempts` times, or whose stored payload cannot be read, is set aside
 * as `failed` with its reason; one bad insert never fails the others of its
 * group. The Verification Token is dropped from stored payloads.
 *
 * @example
 * ```ts
 * import type { LarkEvent } from "./lark_event.ts";
 *
 * declare const event: LarkEvent;
 * const store = new SqliteEventStore(".state/events.db");
 * const isNew = await store.insert(event, "webhook");
 * const next = await store.claimNext({ types: ["vc.meeting.all_meeting_ended_v1"] });
 * if (next) await store.markDone(next.event.eventId);
 * ```
 */
export class SqliteEventStore implements EventSink {
  #db: SafeDatabase;
  #clock: Clock;
  #leaseMs: number;
  #maxAttempts: number;
  #queue: Pending[] = [];
  #scheduled = false;
  #sql: EventStatements;

  /** Open (creating when needed) the store at `path`; `":memory:"` works for tests. */
  constructor(path: string, options: SqliteEventStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#leaseMs = options.leaseMs ?? 600_000;
    this.#maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 5));
    this.#db = openSafeDatabase(path, {
      busyTimeoutMs: options.busyTimeoutMs,
      synchronous: options.synchronous === "normal" ? "NORMAL" : "FULL",
      schema: SCHEMA,
    });
    this.#sql = prepareEventStatements(this.#db);
  }

  /** See {@linkcode EventSink.insert}. Resolves after the commit that stored it. */
  insert(event: LarkEvent, source: EventSource = "webhook"): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ event, source, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setTimeout(() => this.#flush(), 0);
      }
    });
  }

  /** The stored event with this id, if any. */
  get(eventId: string): Promise<StoredEvent | undefined> {
    try {
      const row = this.#sql.get.get(eventId) as SafeRow | undefined;
      return Promise.resolve(row ? toStored(row) : undefined);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Claim the oldest pending event (or one whose claim lease ran out):
   * it becomes `processing` with a lease. Atomic across processes. On the
   * way, an event already claimed `maxAttempts` times (its worker kept
   * dying or its lease kept running out) or whose stored payload cannot be
   * read is set aside as `failed` with the reason, and the next one is tried.
   */
  claimNext(options: ClaimOptions = {}): Promise<StoredEvent | undefined> {
    const now = this.#clock.now();
    const types = options.types ? JSON.stringify(options.types) : null;
    const max = options.maxAttempts ?? this.#maxAttempts;
    return Promise.resolve(this.#tx(() => {
      for (let i = 0; i < MAX_SET_ASIDE_PER_CLAIM; i++) {
        const picked = this.#sql.pick.get({ now, types });
        if (!picked) return undefined;
        const id = String(picked.event_id);
        if (Number(picked.attempts) >= max) {
          this.#setAside(id, `处理 ${Number(picked.attempts)} 次仍未完成（进程中断或处理超时），已搁置`);
          continue;
        }
        const row = this.#sql.claim.get({ id, now, lease: now + (options.leaseMs ?? this.#leaseMs) });
        if (!row) {
          this.#setAside(id, "事件无法按编号读回，已搁置");
          continue;
        }
        try {
          return toStored(row);
        } catch (e) {
          this.#setAside(id, `保存的事件内容无法解析，已搁置：${(e as Error).message}`);
        }
      }
      return undefined;
    }));
  }

  /** Mark a claimed event as processed. */
  markDone(eventId: string): Promise<void> {
    return this.#set(eventId, "done", 0, null);
  }

  /**
   * Record a failure: with `retryAtMs` the event goes back to `pending`, not
   * claimable before then; otherwise it is `failed` for good.
   */
  markFailed(eventId: string, reason: string, options: { retryAtMs?: number } = {}): Promise<void> {
    const retry = options.retryAtMs !== undefined;
    return this.#set(eventId, retry ? "pending" : "failed", options.retryAtMs ?? 0, reason.slice(0, 2000));
  }

  /** Give a claimed event back unprocessed (claimable at `availableAtMs`, default at once). */
  release(eventId: string, availableAtMs = 0): Promise<void> {
    return this.#set(eventId, "pending", availableAtMs, null);
  }

  /**
   * Put every `processing` event back to `pending`. Call at start-up when this
   * process is the only worker, so events claimed before a crash run again at
   * once instead of after their lease. Returns how many were recovered.
   */
  recoverProcessing(): Promise<number> {
    const r = this.#sql.recover.run(this.#clock.now());
    return Promise.resolve(Number(r.changes));
  }

  /** Number of events per state. */
  counts(): Promise<Record<EventState, number>> {
    const out: Record<EventState, number> = { pending: 0, processing: 0, done: 0, failed: 0 };
    for (const r of this.#db.prepare("SELECT state, COUNT(*) AS n FROM events GROUP BY state").all()) {
      out[r.state as EventState] = Number(r.n);
    }
    return Promise.resolve(out);
  }

  /** Most recently received events, newest first (default 50), optionally of one state. */
  list(options: { state?: EventState; limit?: number } = {}): Promise<StoredEvent[]> {
    const rows = this.#db.prepare(
      "SELECT * FROM events WHERE (?1 IS NULL OR state = ?1) ORDER BY received_at DESC, rowid DESC LIMIT ?2",
    ).all(options.state ?? null, options.limit ?? 50) as SafeRow[];
    // A row whose payload cannot be read (set aside by claimNext) is left out of listings.
    return Promise.resolve(rows.flatMap((r) => {
      try {
        return [toStored(r)];
      } catch {
        return [];
      }
    }));
  }

  /**
   * Delete `done`/`failed` events last changed more than `olderThanMs` ago
   * (keep at least a few days: Feishu redelivers for ~7 h, and a deleted id is
   * no longer recognised as a replay). Returns how many were deleted.
   */
  prune(olderThanMs: number): Promise<number> {
    const r = this.#db.prepare("DELETE FROM events WHERE state IN ('done', 'failed') AND updated_at < ?")
      .run(this.#clock.now() - olderThanMs);
    return Promise.resolve(Number(r.changes));
  }

  /** Close the database (pending inserts are flushed first). */
  close(): void {
    this.#flush();
    this.#db.close();
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    const now = this.#clock.now();
    let results: boolean[];
    try {
      results = this.#tx(() => batch.map((p) => this.#insertOne(p, now)));
    } catch (e) {
      if (batch.length === 1) {
        batch[0].reject(e);
        return;
      }
      // One bad event must not fail the others stored with it: store each on its own.
      for (const p of batch) {
        try {
          p.resolve(this.#tx(() => this.#insertOne(p, now)));
        } catch (err) {
          p.reject(err);
        }
      }
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]));
  }

  #insertOne(p: Pending, now: number): boolean {
    const row = this.#sql.insert.get(
      p.event.eventId,
      p.event.eventType,
      p.source,
      JSON.stringify(storedForm(p.event)),
      now,
      now,
    ) as SafeRow;
    return Number(row.deliveries) === 1;
  }

  #setAside(eventId: string, reason: string): void {
    this.#sql.setState.run({
      id: eventId,
      state: "failed",
      now: this.#clock.now(),
      available: 0,
      error: reason,
    });
  }

  #set(eventId: string, state: EventState, available: number, error: string | null): Promise<void> {
    this.#sql.setState.run({ id: eventId, state, now: this.#clock.now(), available, error });
    return Promise.resolve();
  }

  /** Run `fn` in `BEGIN IMMEDIATE` (the write lock, also across processes). */
  #tx<T>(fn: () => T): T {
    return immediate(this.#db, fn);
  }
}
