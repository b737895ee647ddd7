import type { SQLInputValue } from "node:sqlite";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import {
  ACTIVE_JOB_STATES,
  type EnqueueJobInput,
  JOB_STATES,
  type JobPatch,
  type JobState,
  type MeetingJob,
} from "./job.ts";
import { JOB_SCHEMA, patchSql, rowToJob } from "./_job_rows.ts";
import { openSafeDatabase } from "../../lib/sqlite/open_database.ts";
import type { SafeDatabase } from "../../lib/sqlite/safe_database.ts";
import { immediate } from "../../lib/sqlite/immediate.ts";

/** Options of {@linkcode JobStore}. */
export interface JobStoreOptions {
  /** Time source for `created_at` / `updated_at` (default the system clock). */
  clock?: Clock;
  /** SQLite `busy_timeout`, ms (default 5000). */
  busyTimeoutMs?: number;
}

/** Options of {@linkcode JobStore.claimDue}. */
export interface ClaimOptions {
  /** Id of the claiming worker. */
  owner: string;
  /** Lease length, ms (default 60 000); an unrenewed lease expires and the job can be claimed again. */
  leaseMs?: number;
}

/** Result of {@linkcode JobStore.enqueue}. */
export interface EnqueueResult {
  /** The job (new or already there). */
  job: MeetingJob;
  /** False when the same meeting + user already had a job. */
  created: boolean;
}

const ACTIVE_SQL = ACTIVE_JOB_STATES.map((s) => `'${s}'`).join(", ");

/**
 * Meeting jobs in SQLite (`node:sqlite`, WAL, `busy_timeout`), one per
 * (meeting, user), shared by every process that opens the same file. Workers
 * claim due jobs with a lease inside `BEGIN IMMEDIATE`; a job whose worker
 * died is claimable again once the lease expires, so a restart resumes every
 * unfinished job. Every write by a worker names the lease owner and is
 * refused (returns false) when the lease was lost. Every text (meeting ids,
 * topics, names, reasons) round-trips exactly, NUL bytes and lone surrogates
 * included (`lib/sqlite` safe statements).
 *
 * @example
 * ```ts
 * const store = new JobStore(".state/meeting.sqlite");
 * store.enqueue({ meetingId: "m1", userId: "u1", startTime: "1768788000", endTime: "1768791600" });
 * const jobs = store.claimDue(Date.now(), 4, { owner: "worker-1" });
 * ```
 */
export class JobStore {
  #db: SafeDatabase;
  #clock: Clock;

  /** Open (creating when needed) the database at `path`; `":memory:"` works. */
  constructor(path: string, options: JobStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#db = openSafeDatabase(path, { busyTimeoutMs: options.busyTimeoutMs, schema: JOB_SCHEMA });
  }

  /**
   * Create the job of (meeting, user) unless it exists: the same meeting
   * twice gives one job (the first one's fields are kept).
   */
  enqueue(input: EnqueueJobInput): EnqueueResult {
    const now = this.#clock.now();
    return this.#tx(() => {
      const existing = this.find(input.meetingId, input.userId);
      if (existing) return { job: existing, created: false };
      const r = this.#db.prepare(
        `INSERT INTO meeting_jobs (meeting_id, user_id, user_name, topic, start_time, end_time, owner_ids,
           event_id, state, poll_since, next_run_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting_recording', ?, ?, ?, ?)`,
      ).run(
        input.meetingId,
        input.userId,
        input.userName ?? "",
        input.topic ?? "",
        input.startTime,
        input.endTime,
        JSON.stringify(input.ownerIds ?? {}),
        input.eventId ?? "",
        now,
        input.nextRunAt ?? now,
        now,
        now,
      );
      return { job: this.get(Number(r.lastInsertRowid))!, created: true };
    });
  }

  /** The job with row id `id`. */
  get(id: number): MeetingJob | undefined {
    const r = this.#db.prepare("SELECT * FROM meeting_jobs WHERE id = ?").get(id);
    return r ? rowToJob(r) : undefined;
  }

  /** The job of (meeting, user). */
  find(meetingId: string, userId: string): MeetingJob | undefined {
    const r = this.#db.prepare("SELECT * FROM meeting_jobs WHERE meeting_id = ? AND user_id = ?")
      .get(meetingId, userId);
    return r ? rowToJob(r) : undefined;
  }

  /**
   * Atomically take up to `limit` due jobs (active state, `next_run_at ≤ now`,
   * no live lease), oldest due first, leasing them to `owner` until
   * `now + leaseMs`.
   */
  claimDue(now: number, limit: number, options: ClaimOptions): MeetingJob[] {
    if (limit <= 0) return [];
    const until = now + (options.leaseMs ?? 60_000);
    return this.#tx(() => {
      const rows = this.#db.prepare(
        `SELECT id FROM meeting_jobs WHERE state IN (${ACTIVE_SQL}) AND next_run_at <= ?
           AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_run_at, id LIMIT ?`,
      ).all(now, now, Math.floor(limit)) as { id: number }[];
      const take = this.#db.prepare(
        "UPDATE meeting_jobs SET lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?",
      );
      for (const r of rows) take.run(options.owner, until, now, r.id);
      return rows.map((r) => this.get(r.id)!);
    });
  }

  /** Extend `owner`'s lease on job `id` to `until`; false when the lease was lost. */
  renewLease(id: number, owner: string, until: number): boolean {
    const r = this.#db.prepare("UPDATE meeting_jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?")
      .run(until, id, owner);
    return Number(r.changes) > 0;
  }

  /**
   * Apply `patch` to job `id` while `owner` holds its lease; with `release`
   * the lease is given up in the same write. Returns the updated job, or
   * `undefined` when `owner` no longer holds the lease (nothing written).
   */
  update(id: number, owner: string, patch: JobPatch, release = false): MeetingJob | undefined {
    const { set, values } = patchSql(patch);
    set.push("updated_at = ?");
    values.push(this.#clock.now());
    if (release) set.push("lease_owner = NULL", "lease_until = NULL");
    const r = this.#db.prepare(`UPDATE meeting_jobs SET ${set.join(", ")} WHERE id = ? AND lease_owner = ?`)
      .run(...values, id, owner);
    return Number(r.changes) > 0 ? this.get(id) : undefined;
  }

  /** Give up `owner`'s lease on job `id` without other changes (the job is due again at once). */
  release(id: number, owner: string): boolean {
    const r = this.#db.prepare(
      "UPDATE meeting_jobs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
    ).run(id, owner);
    return Number(r.changes) > 0;
  }

  /** The `n` most recently changed jobs, newest first (status page). */
  listRecent(n = 50): MeetingJob[] {
    return this.#db.prepare("SELECT * FROM meeting_jobs ORDER BY updated_at DESC, id DESC LIMIT ?")
      .all(Math.max(0, Math.floor(n))).map(rowToJob);
  }

  /** Jobs per state (every state present, zero when none). */
  counts(): Record<JobState, number> {
    const out = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    const rows = this.#db.prepare("SELECT state, COUNT(*) AS n FROM meeting_jobs GROUP BY state").all();
    for (const r of rows) out[String(r.state) as JobState] = Number(r.n);
    return out;
  }

  /** `userId`'s jobs waiting for authorization, oldest first. */
  waitingForAuthorization(userId: string): MeetingJob[] {
    return this.#db.prepare(
      "SELECT * FROM meeting_jobs WHERE user_id = ? AND state = 'waiting_authorization' ORDER BY id",
    ).all(userId).map(rowToJob);
  }

  /**
   * The user authorized: every job of `userId` waiting for authorization
   * goes back to the state it stopped in, due at `now`, with the ladder
   * (recording / minute polling) started afresh. Returns the resumed jobs.
   */
  resumeUser(userId: string, now: number): MeetingJob[] {
    return this.#tx(() => {
      const waiting = this.waitingForAuthorization(userId);
      for (const j of waiting) {
        const state = j.resumeState && ACTIVE_JOB_STATES.includes(j.resumeState)
          ? j.resumeState
          : "waiting_recording";
        this.#set(j.id, {
          state,
          resumeState: undefined,
          reason: "",
          attempts: 0,
          nextRunAt: now,
          pollSince: now,
        });
      }
      return waiting.map((j) => this.get(j.id)!);
    });
  }

  /** Send a failed job round again from the start (e.g. after freeing NAS space); false unless it was failed. */
  retry(id: number, now: number): boolean {
    return this.#tx(() => {
      const j = this.get(id);
      if (!j || j.state !== "failed") return false;
      const state: JobState = j.minuteToken ? "downloading" : "waiting_recording";
      this.#set(id, { state, reason: "", lastError: "", attempts: 0, nextRunAt: now, pollSince: now });
      return true;
    });
  }

  /** Close the database; later calls throw. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #set(id: number, patch: JobPatch): void {
    const { set, values } = patchSql(patch);
    set.push("updated_at = ?", "lease_owner = NULL", "lease_until = NULL");
    values.push(this.#clock.now());
    this.#db.prepare(`UPDATE meeting_jobs SET ${set.join(", ")} WHERE id = ?`).run(
      ...values as SQLInputValue[],
      id,
    );
  }

  #tx<T>(fn: () => T): T {
    return immediate(this.#db, fn);
  }
}
