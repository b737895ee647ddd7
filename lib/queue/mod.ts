/**
 * Durable job queues behind one interface ({@linkcode JobQueue}): an embedded
 * SQLite table (default), PostgreSQL with `FOR UPDATE SKIP LOCKED`, and
 * RabbitMQ (durable queue, publisher confirms, manual acks, dead-letter queue).
 * Delivery is at least once; a failing job is retried and dead-lettered.
 *
 * @example
 * ```ts
 * import { openQueue } from "./mod.ts";
 *
 * const q = await openQueue<{ n: number }>("sqlite://.state/queue.db");
 * await q.enqueue({ n: 1 }, { key: "evt_1" });
 * const consumer = q.consume(async (job) => console.log(job.payload.n));
 * await consumer.stop();
 * await q.close();
 * ```
 *
 * @module
 */
export * from "./job_queue.ts";
export * from "./queue_error.ts";
export * from "./sqlite_queue.ts";
export * from "./postgres_queue.ts";
export * from "./rabbitmq_queue.ts";
export * from "./open_queue.ts";
