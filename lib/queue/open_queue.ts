import type { Logger } from "../log/logger.ts";
import type { JobQueue, QueueOptions } from "./job_queue.ts";
import { PostgresQueue } from "./postgres_queue.ts";
import { RabbitMqQueue } from "./rabbitmq_queue.ts";
import { SqliteQueue } from "./sqlite_queue.ts";

/**
 * Open a queue by URL: `sqlite:///abs/path.db` or `sqlite://relative.db`
 * (embedded default), `postgres://…` / `postgresql://…`, `amqp://…` / `amqps://…`.
 *
 * @example
 * ```ts
 * const q = await openQueue(Deno.env.get("FEISHU_QUEUE_URL") ?? "sqlite://.state/queue.db");
 * ```
 */
export async function openQueue<T = unknown>(
  url: string,
  options: QueueOptions & { logger?: Logger; schema?: string } = {},
): Promise<JobQueue<T>> {
  if (url.startsWith("sqlite://")) {
    return new SqliteQueue<T>(url.slice("sqlite://".length) || ":memory:", options);
  }
  if (/^postgres(ql)?:\/\//.test(url)) return await PostgresQueue.open<T>(url, options);
  if (/^amqps?:\/\//.test(url)) return await RabbitMqQueue.open<T>(url, options);
  throw new TypeError(`unknown queue URL scheme: ${url.split(":")[0]} (sqlite://, postgres://, amqp://)`);
}
