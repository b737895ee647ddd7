import type { EventSink } from "../events/event_store.ts";
import type { LarkEvent } from "../events/lark_event.ts";
import type { JobQueue } from "../queue/job_queue.ts";
import { type CardJob, cardJobOf } from "./card_job.ts";

/**
 * An event sink that puts card callbacks on the queue (the job key is the
 * `event_id`, so a redelivery is stored once on the table queues). Used by
 * the callback URL and, for card callbacks over the long connection, as the
 * `store` of `LongConnection`: a queue that is down makes `insert` throw
 * `QueueUnavailableError`, so the callback is not acknowledged.
 *
 * @example
 * ```ts
 * import { LongConnection } from "../events/ws_adapter.ts";
 * import type { JobQueue } from "../queue/job_queue.ts";
 * import type { CardJob } from "./card_job.ts";
 *
 * declare const queue: JobQueue<CardJob>, appId: string, appSecret: string;
 * const ws = new LongConnection({ appId, appSecret, store: cardCallbackSink(queue, { appId }) });
 * ```
 */
export function cardCallbackSink(
  queue: JobQueue<CardJob>,
  o: { appId?: string; onQueued?: (job: CardJob) => void } = {},
): EventSink {
  return {
    async insert(event: LarkEvent): Promise<boolean> {
      const job = cardJobOf({ ...event, appId: event.appId ?? o.appId });
      const fresh = await queue.enqueue(job, { key: job.eventId });
      if (fresh) o.onQueued?.(job);
      return fresh;
    },
  };
}
