import { type Logger, silentLogger } from "../log/logger.ts";
import type { JobQueue, QueueConsumer } from "../queue/job_queue.ts";
import { type CardAction, cardActionFromEvent } from "./card_action.ts";
import { type CardJob, eventOfCardJob } from "./card_job.ts";
import type { CardHandlerResult, CardRouter } from "./card_router.ts";
import type { CardUpdater } from "./card_updater.ts";
import type { HandledLedger } from "./handled_ledger.ts";

/** Options of {@linkcode startCardWorker}. */
export interface CardWorkerOptions {
  /** Where the intake put the callbacks. */
  queue: JobQueue<CardJob>;
  /** Handlers by action. */
  router: CardRouter;
  /** Which callbacks were handled (at most one handler run per callback). */
  ledger: HandledLedger;
  /** Applies a handler's card to the clicked message. */
  updater: CardUpdater;
  /** Jobs at once (default 8). */
  concurrency?: number;
  /** Logger. */
  logger?: Logger;
  /** Called after each callback finished (handled or without handler), for counters. */
  onFinished?: (action: CardAction, outcome: "handled" | "no_handler" | "duplicate") => void;
}

/** Thrown while another worker holds a callback; the queue offers it again later. */
class BusyError extends Error {}

/**
 * Runs card handlers from the queue: each callback's handler runs once (the
 * ledger skips redeliveries), and a returned `card` replaces the clicked card
 * through the card-update API. A failed handler is retried by the queue and
 * dead-lettered after its `maxAttempts`; a failed card update is retried
 * without running the handler again.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import type { JobQueue } from "../queue/job_queue.ts";
 * import type { CardJob } from "./card_job.ts";
 * import type { HandledLedger } from "./handled_ledger.ts";
 * import { CardRouter } from "./card_router.ts";
 * import { PatchCardUpdater } from "./card_updater.ts";
 *
 * declare const queue: JobQueue<CardJob>, router: CardRouter, ledger: HandledLedger;
 * declare const httpFor: (appId: string) => LarkHttp;
 * const worker = startCardWorker({ queue, router, ledger, updater: new PatchCardUpdater(httpFor) });
 * await worker.stop();
 * ```
 */
export function startCardWorker(o: CardWorkerOptions): QueueConsumer {
  const log = o.logger ?? silentLogger;
  return o.queue.consume(async (job) => {
    const action = cardActionFromEvent(eventOfCardJob(job.payload));
    const key = action.eventId;
    const decision = await o.ledger.begin(key);
    if (decision.kind === "done") {
      log.info("card.duplicate_skipped", { event_id: key });
      o.onFinished?.(action, "duplicate");
      return;
    }
    if (decision.kind === "busy") throw new BusyError(`callback ${key} is being handled elsewhere`);
    let result: CardHandlerResult;
    if (decision.kind === "apply") {
      result = decision.result;
    } else {
      const handler = o.router.handlerFor(action);
      if (!handler) {
        log.warn("card.no_handler", { event_id: key, action: action.name });
        await o.ledger.done(key);
        o.onFinished?.(action, "no_handler");
        return;
      }
      const t0 = Date.now();
      try {
        result = (await handler(action, { attempt: job.attempts })) ?? {};
      } catch (e) {
        await o.ledger.release(key);
        log.warn("card.handler_failed", {
          event_id: key,
          action: action.name,
          attempt: job.attempts,
          error: e,
        });
        throw e;
      }
      await o.ledger.handled(key, result);
      log.info("card.handled", { event_id: key, action: action.name, elapsed_ms: Date.now() - t0 });
    }
    if (result.card && action.messageId && action.appId) {
      try {
        await o.updater.update(action.appId, action.messageId, result.card);
      } catch (e) {
        log.warn("card.update_failed", { event_id: key, message_id: action.messageId, error: e });
        throw e;
      }
    }
    await o.ledger.done(key);
    o.onFinished?.(action, "handled");
  }, { concurrency: o.concurrency });
}
