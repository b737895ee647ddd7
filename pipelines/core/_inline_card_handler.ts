import type { CardAction, CardHandlerResult, CardRouter, HandledLedger } from "../../lib/callback/mod.ts";
import type { Logger } from "../../lib/log/logger.ts";
import type { Clock } from "../../lib/time/clock.ts";

/** How long the inline path waits for the ledger before running without it, ms. */
const LEDGER_WAIT_MS = 300;

/**
 * The handler the card callback runs inline when the queue is down, kept in
 * the handled ledger like a worker's run: a callback already handled is not
 * run again, and one handled here is marked done, so an enqueue that lands
 * late (after the intake's budget ran out) is skipped by the worker. A
 * ledger that does not answer within 300 ms (its database down too) is
 * skipped: the click is handled without de-duplication rather than refused.
 */
export function inlineCardHandler(
  o: { router: CardRouter; ledger: HandledLedger; clock: Clock; logger: Logger },
): (action: CardAction) => Promise<CardHandlerResult | undefined> {
  return async (action) => {
    const handler = o.router.handlerFor(action);
    if (!handler) return undefined;
    const key = action.eventId;
    const stop = new AbortController();
    const decision = await Promise.race([
      o.ledger.begin(key).catch((error) => {
        o.logger.warn("card.inline_ledger_failed", { event_id: key, error });
        return undefined;
      }),
      o.clock.sleep(LEDGER_WAIT_MS, stop.signal).then(() => undefined, () => undefined),
    ]).finally(() => stop.abort());
    if (decision?.kind === "done") return { toast: { type: "info", content: "已处理" } };
    if (decision?.kind === "apply") return decision.result;
    if (decision?.kind === "busy") return { toast: { type: "info", content: "已收到，正在处理…" } };
    let result: CardHandlerResult;
    try {
      result = (await handler(action, { attempt: 1 })) ?? {};
    } catch (e) {
      if (decision) await o.ledger.release(key).catch(() => {});
      throw e;
    }
    if (decision) {
      // The answer carries the card: nothing is left for a worker to do.
      o.ledger.handled(key, result).then(() => o.ledger.done(key)).catch((error) =>
        o.logger.warn("card.inline_ledger_failed", { event_id: key, error })
      );
    }
    return result;
  };
}
