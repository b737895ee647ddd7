import type { JobHandler } from "./job_queue.ts";
import { failureFate } from "./_job_rows.ts";
import {
  attemptsSoFar,
  type Channel,
  type Message,
  messageKey,
  type PublishOptions,
} from "./_amqp_messages.ts";

/** A consumer of the RabbitMQ queue: its handler, its channel while connected, its jobs in flight. */
export interface Sub {
  handler: JobHandler<unknown>;
  prefetch: number;
  channel?: Channel;
  inflight: Set<Promise<void>>;
  stopped: boolean;
}

/** What a delivery needs from the queue: its name, retry options and the confirmed publish. */
export interface Delivery {
  name: string;
  retry: { maxAttempts: number; retryDelayMs: number };
  publish(queue: string, payload: unknown, o: PublishOptions): Promise<void>;
}

/**
 * Run one delivered message through the handler: ack on success; on failure publish it to
 * `<name>.retry` (with the doubling delay as its TTL) or, after `maxAttempts`, to
 * `<name>.dead`, and only then ack the original. A message that does not parse goes to
 * `<name>.dead` at once.
 */
export async function handleDelivery(d: Delivery, sub: Sub, ch: Channel, m: Message): Promise<void> {
  const name = d.name;
  const attempts = attemptsSoFar(m) + 1;
  const key = messageKey(m);
  let payload: unknown;
  try {
    payload = JSON.parse(m.content.toString("utf8"));
  } catch (e) {
    await settle(d, ch, m, `${name}.dead`, m.content, { key, attempts, error: e });
    return;
  }
  try {
    await sub.handler({ id: String(key ?? m.fields.deliveryTag), key, payload, attempts });
  } catch (e) {
    const fate = failureFate(attempts, d.retry);
    const queue = fate.dead ? `${name}.dead` : `${name}.retry`;
    const expiration = fate.dead ? undefined : fate.retryInMs;
    await settle(d, ch, m, queue, payload, { key, attempts, error: e, expiration });
    return;
  }
  try {
    ch.ack(m);
  } catch { /* channel gone: the broker redelivers, the handler de-duplicates */ }
}

/** Move a failed message on (retry or dead queue) and only then ack the original. */
async function settle(
  d: Delivery,
  ch: Channel,
  m: Message,
  queue: string,
  payload: unknown,
  o: PublishOptions,
): Promise<void> {
  try {
    await d.publish(queue, payload, o);
    ch.ack(m);
  } catch {
    // Could not move it: leave it unacked so the broker redelivers it.
    try {
      ch.nack(m, false, true);
    } catch { /* channel gone */ }
  }
}
