/** Options of {@linkcode Ladder}. */
export interface LadderOptions {
  /** Waits before the first polls, in order, ms (default 10 s, 20 s, 30 s, 1 min, 2 min, 3 min). */
  stepsMs?: readonly number[];
  /** Wait between polls once the steps are used up, ms (default 5 min). */
  repeatMs?: number;
  /** Time after which waiting stops, ms (default 30 min). The last wait is cut so a poll lands on it. */
  totalMs?: number;
}

/** What to do after a poll that found nothing. */
export type LadderDecision =
  | {
    /** Poll again after `delayMs`. */
    action: "wait";
    /** Wait before the next poll, ms. */
    delayMs: number;
  }
  | {
    /** The total is spent: stop waiting. */
    action: "give_up";
    /** Time waited, ms. */
    elapsedMs: number;
  };

/** The default steps: 10 s, 20 s, 30 s, 1 min, 2 min, 3 min. */
export const DEFAULT_LADDER_STEPS_MS: readonly number[] = [10_000, 20_000, 30_000, 60_000, 120_000, 180_000];

/**
 * The polling schedule for a recording that is not ready yet: a ladder of
 * waits, then one repeated wait, until a total is spent. Pure: callers pass
 * how many polls were made and how long they have been waiting.
 *
 * With the defaults the polls land at 10 s, 30 s, 1 min, 2 min, 4 min, 7 min,
 * 12, 17, 22, 27 and 30 min after the start; a poll at 30 min that still finds
 * nothing gives up.
 *
 * @example
 * ```ts
 * const ladder = new Ladder();
 * ladder.next(0, 0); // { action: "wait", delayMs: 10_000 } — before the first poll
 * ladder.next(11, 1_800_000); // { action: "give_up", elapsedMs: 1_800_000 }
 * ```
 */
export class Ladder {
  /** Waits before the first polls, ms. */
  readonly stepsMs: readonly number[];
  /** Repeated wait, ms. */
  readonly repeatMs: number;
  /** Total waiting time, ms. */
  readonly totalMs: number;

  /** Create a ladder; see {@linkcode LadderOptions} for the defaults. */
  constructor(options: LadderOptions = {}) {
    this.stepsMs = [...(options.stepsMs ?? DEFAULT_LADDER_STEPS_MS)];
    this.repeatMs = options.repeatMs ?? 300_000;
    this.totalMs = options.totalMs ?? 1_800_000;
    const bad = [...this.stepsMs, this.repeatMs, this.totalMs].some((v) => !Number.isFinite(v) || v <= 0);
    if (bad) throw new RangeError("ladder waits and total must be positive numbers of ms");
  }

  /** The wait before poll number `polls + 1` (uncapped): a step, then the repeated wait. */
  delay(polls: number): number {
    return polls < this.stepsMs.length ? this.stepsMs[Math.max(0, polls)] : this.repeatMs;
  }

  /**
   * After `polls` polls and `elapsedMs` of waiting (since the job started
   * waiting), the wait before the next poll, or `give_up` once the total is
   * spent. A wait that would pass the total is shortened to end on it.
   */
  next(polls: number, elapsedMs: number): LadderDecision {
    const left = this.totalMs - Math.max(0, elapsedMs);
    if (left <= 0) return { action: "give_up", elapsedMs };
    return { action: "wait", delayMs: Math.min(this.delay(polls), left) };
  }

  /** Offsets (ms from the start) of every poll the schedule makes. */
  pollTimes(): number[] {
    const out: number[] = [];
    let t = 0;
    for (;;) {
      const d = this.next(out.length, t);
      if (d.action === "give_up") return out;
      t += d.delayMs;
      out.push(t);
    }
  }
}
