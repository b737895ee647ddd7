/**
 * Time limits of the card-callback intake: Feishu waits 3 s for the answer,
 * so the enqueue and an inline handler each run against a deadline.
 *
 * @module
 */
import type { Clock } from "../time/clock.ts";
import { QueueUnavailableError } from "../queue/queue_error.ts";
import type { CardAction } from "./card_action.ts";
import type { CardCallbackOptions } from "./card_callback_intake.ts";
import type { CardHandlerResult } from "./card_router.ts";

/** The inline handler's result, or `undefined` when it failed or `budget` ms passed first. */
export async function runInline(
  o: CardCallbackOptions,
  action: CardAction,
  clock: Clock,
  budget: number,
): Promise<CardHandlerResult | undefined> {
  if (budget <= 0) return undefined;
  const stop = new AbortController();
  try {
    return await Promise.race([
      o.inline!(action).then((r) => r ?? {}),
      clock.sleep(budget, stop.signal).then(() => undefined),
    ]);
  } catch {
    return undefined;
  } finally {
    stop.abort();
  }
}

/**
 * `work`, or a {@linkcode QueueUnavailableError} once `deadline` passes. The work goes on
 * in the background; how it ends then is reported to `onLate` (never an unhandled rejection).
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  o: {
    clock: Clock;
    deadline: number;
    backend: string;
    budgetMs: number;
    onLate: (late: { outcome: string; error?: unknown }) => void;
  },
): Promise<T> {
  const stop = new AbortController();
  let timedOut = false;
  const timeout = new Promise<never>((_resolve, reject) => {
    o.clock.sleep(Math.max(0, o.deadline - o.clock.now()), stop.signal).then(() => {
      timedOut = true;
      reject(
        new QueueUnavailableError(
          o.backend,
          `queue ${o.backend} did not confirm the callback within ${o.budgetMs} ms`,
        ),
      );
    }, () => {});
  });
  work.then(
    (v) => timedOut && o.onLate({ outcome: v === false ? "duplicate" : "queued" }),
    (error) => timedOut && o.onLate({ outcome: "failed", error }),
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    stop.abort();
  }
}
