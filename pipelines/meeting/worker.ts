import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import { runJob, type StepContext } from "./_job_steps.ts";
import type { EnqueueJobInput, MeetingJob } from "./job.ts";
import type { EnqueueResult, JobStore } from "./job_store.ts";
import { Ladder, type LadderOptions } from "./ladder.ts";
import type { DistributeOptions } from "./nas.ts";
import type { NamingOptions } from "./naming.ts";
import type { Directory, Downloader, MinutesSource, Notifier, RecordingSource, UserAuth } from "./ports.ts";

/** Options of {@linkcode MeetingWorker}. */
export interface MeetingWorkerOptions {
  /** The job store. */
  store: JobStore;
  /** Recording API (user token). */
  recordings: RecordingSource;
  /** Minutes API (user token). */
  minutes: MinutesSource;
  /** Resumable downloader. */
  downloader: Downloader;
  /** Contact directory. */
  directory: Directory;
  /** Cards. */
  notifier: Notifier;
  /** Authorization status of users. */
  auth: UserAuth;
  /** Folder for `job-<id>.mp4` downloads (best on the NAS's file system, so filing is a hard link). */
  stagingDir: string;
  /** NAS layout and filing options (root, personal folder rule, mapping, team folder, reserve…). */
  nas: Omit<DistributeOptions, "ownName" | "signal" | "logger">;
  /** File naming (template, time zone, bounds). */
  naming?: NamingOptions;
  /** Recording polling schedule (default 10 s, 20 s, 30 s, 1, 2, 3 min, then 5 min, for 30 min). */
  ladder?: Ladder | LadderOptions;
  /** Jobs processed at once, hence downloads at once (default 4). */
  concurrency?: number;
  /** Lease on a claimed job, ms (default 60 000); renewed every third of it while the job runs. */
  leaseMs?: number;
  /** Longest idle wait between looks for due jobs, ms (default 1000). */
  pollIntervalMs?: number;
  /** Tries of a download / filing / notification step before the job fails (default 5). */
  maxStepAttempts?: number;
  /** First wait after a failed step, doubled each time up to 5 min, ms (default 5000). */
  retryBaseMs?: number;
  /** Worker id written on leases (default a random UUID). */
  owner?: string;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Logger. */
  logger?: Logger;
}

/**
 * The archiver's job runner: claims due jobs from the {@linkcode JobStore}
 * (at most `concurrency` at once) and drives each through waiting for the
 * recording (ladder polling), downloading to the staging folder, naming and
 * filing on the NAS, and the success card. A user without a usable token
 * sends their jobs to `waiting_authorization` with one red card;
 * {@linkcode MeetingWorker.resumeUser} brings them all back at once. Jobs
 * survive restarts: a new worker on the same database resumes them.
 *
 * @example
 * ```ts
 * import type { EnqueueJobInput } from "./job.ts";
 *
 * declare const { store, recordings, minutes, downloader, directory, notifier, auth }: MeetingWorkerOptions;
 * declare const { meetingId, userId, topic, startTime, endTime }: EnqueueJobInput;
 *
 * const worker = new MeetingWorker({ store, recordings, minutes, downloader, directory, notifier, auth,
 *   stagingDir: "/nas/.staging", nas: { nasRoot: "/nas" } });
 * const ctl = new AbortController();
 * const done = worker.run(ctl.signal);
 * worker.enqueue({ meetingId, userId, topic, startTime, endTime });
 * // … on shutdown:
 * ctl.abort(); await done;
 * ```
 */
export class MeetingWorker {
  #store: JobStore;
  #ctx: StepContext;
  #clock: Clock;
  #log: Logger;
  #ladder: Ladder;
  #concurrency: number;
  #leaseMs: number;
  #pollMs: number;
  #owner: string;
  #running = new Map<number, Promise<void>>();
  #wake = new AbortController();

  /** Create a worker; see {@linkcode MeetingWorkerOptions} for defaults. */
  constructor(o: MeetingWorkerOptions) {
    this.#store = o.store;
    this.#clock = o.clock ?? systemClock;
    this.#log = o.logger ?? silentLogger;
    this.#ladder = o.ladder instanceof Ladder ? o.ladder : new Ladder(o.ladder);
    this.#concurrency = Math.max(1, Math.floor(o.concurrency ?? 4));
    this.#leaseMs = o.leaseMs ?? 60_000;
    this.#pollMs = o.pollIntervalMs ?? 1000;
    this.#owner = o.owner ?? crypto.randomUUID();
    this.#ctx = {
      store: o.store,
      owner: this.#owner,
      clock: this.#clock,
      log: this.#log,
      recordings: o.recordings,
      minutes: o.minutes,
      downloader: o.downloader,
      directory: o.directory,
      notifier: o.notifier,
      auth: o.auth,
      ladder: this.#ladder,
      stagingDir: o.stagingDir,
      nas: o.nas,
      naming: o.naming ?? {},
      maxStepAttempts: o.maxStepAttempts ?? 5,
      retryBaseMs: o.retryBaseMs ?? 5000,
      needAuth: (job, reason, first) => this.#needAuth(job, reason, first),
    };
  }

  /** Jobs being processed right now. */
  get active(): number {
    return this.#running.size;
  }

  /**
   * Add the job of (meeting, user), first due after the ladder's first wait
   * (the recording never exists the moment a meeting ends). Idempotent: the
   * same meeting and user again returns the existing job with `created: false`.
   */
  enqueue(input: EnqueueJobInput): EnqueueResult {
    const first = this.#ladder.next(0, 0);
    const delay = first.action === "wait" ? first.delayMs : 0;
    const r = this.#store.enqueue({ ...input, nextRunAt: input.nextRunAt ?? this.#clock.now() + delay });
    this.#log.info(r.created ? "meeting.enqueued" : "meeting.duplicate", {
      job_id: r.job.id,
      meeting_id: input.meetingId,
      user_id: input.userId,
      event_id: input.eventId,
    });
    if (r.created) this.wake();
    return r;
  }

  /** The user authorized: every job waiting for them is due now (automatic back-fill). */
  resumeUser(userId: string): MeetingJob[] {
    const jobs = this.#store.resumeUser(userId, this.#clock.now());
    this.#log.info("meeting.user_resumed", { user_id: userId, jobs: jobs.length });
    if (jobs.length) this.wake();
    return jobs;
  }

  /** Look for due jobs now instead of at the end of the idle wait. */
  wake(): void {
    this.#wake.abort();
  }

  /** Send a failed job round again (status page "重试"); false unless it had failed. */
  retry(jobId: number): boolean {
    const ok = this.#store.retry(jobId, this.#clock.now());
    if (ok) {
      this.#log.info("meeting.retry", { job_id: jobId });
      this.wake();
    }
    return ok;
  }

  /**
   * Claim every due job (up to the free slots) and start it. Returns the
   * promises of the jobs started; {@linkcode MeetingWorker.runOnce} awaits them.
   */
  startDue(signal?: AbortSignal): Promise<void>[] {
    const free = this.#concurrency - this.#running.size;
    if (free <= 0 || signal?.aborted) return [];
    const jobs = this.#store.claimDue(this.#clock.now(), free, {
      owner: this.#owner,
      leaseMs: this.#leaseMs,
    });
    return jobs.map((job) => this.#start(job, signal));
  }

  /** Claim and process every due job (concurrency-bounded) and wait for them. Returns how many ran. */
  async runOnce(signal?: AbortSignal): Promise<number> {
    let n = 0;
    for (;;) {
      const started = this.startDue(signal);
      if (started.length === 0 && this.#running.size === 0) return n;
      n += started.length;
      await Promise.race(this.#running.values());
    }
  }

  /**
   * Run until `signal` aborts: claim due jobs whenever a slot is free, then
   * sleep `pollIntervalMs` or until woken (a new job, a resumed user, a job
   * finishing). On abort
   * no new job starts, running jobs are cancelled (their state kept, their
   * lease released so a restart resumes them at once), and the promise
   * resolves once they have stopped.
   */
  async run(signal: AbortSignal): Promise<void> {
    this.#log.info("meeting.worker_started", { owner: this.#owner, concurrency: this.#concurrency });
    while (!signal.aborted) {
      this.startDue(signal);
      await this.#idle(signal);
    }
    await Promise.allSettled(this.#running.values());
    this.#log.info("meeting.worker_stopped", { owner: this.#owner });
  }

  async #idle(signal: AbortSignal): Promise<void> {
    if (this.#wake.signal.aborted) this.#wake = new AbortController();
    const stop = AbortSignal.any([signal, this.#wake.signal]);
    try {
      await this.#clock.sleep(this.#pollMs, stop);
    } catch {
      // woken up or stopped
    }
  }

  #start(job: MeetingJob, outer?: AbortSignal): Promise<void> {
    const ctl = new AbortController();
    const signal = outer ? AbortSignal.any([outer, ctl.signal]) : ctl.signal;
    const beat = this.#heartbeat(job.id, ctl, signal);
    const p = runJob(this.#ctx, job, signal).catch((e) => {
      if (!signal.aborted) this.#log.error("meeting.job_crashed", { job_id: job.id, error: e });
      try {
        this.#store.release(job.id, this.#owner);
      } catch (err) {
        this.#log.warn("meeting.release_failed", { job_id: job.id, error: err });
      }
    }).finally(() => {
      ctl.abort();
      this.#running.delete(job.id);
      return beat;
    }).then(() => this.wake());
    this.#running.set(job.id, p);
    return p;
  }

  /** Renew the lease every third of it while the job runs; a lost lease cancels the job. */
  async #heartbeat(id: number, ctl: AbortController, signal: AbortSignal): Promise<void> {
    const every = Math.max(1, Math.floor(this.#leaseMs / 3));
    while (!signal.aborted) {
      try {
        await this.#clock.sleep(every, signal);
      } catch {
        return;
      }
      let ok = false;
      try {
        ok = this.#store.renewLease(id, this.#owner, this.#clock.now() + this.#leaseMs);
      } catch (e) {
        this.#log.warn("meeting.renew_failed", { job_id: id, error: e });
      }
      if (!ok) {
        this.#log.warn("meeting.lease_lost", { job_id: id });
        ctl.abort(new Error("lease lost"));
        return;
      }
    }
  }

  /** Send the red card when the first of a user's jobs starts waiting (once per waiting spell, not per job). */
  async #needAuth(job: MeetingJob, reason: string, first: boolean): Promise<void> {
    if (!first) return;
    try {
      await this.#ctx.notifier.authorizationRequired(job, reason);
    } catch (e) {
      this.#log.warn("meeting.auth_card_failed", { job_id: job.id, user_id: job.userId, error: e });
    }
  }
}
