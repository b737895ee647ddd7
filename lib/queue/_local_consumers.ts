import type { ConsumeOptions, JobHandler, QueueConsumer } from "./job_queue.ts";
import { runTableConsumer, type TableOps } from "./_table_consumer.ts";

/**
 * The consumers a table queue started in this process: a local enqueue wakes them at once
 * (no wait for the next poll), and closing the queue stops them all.
 */
export class LocalConsumers {
  readonly #listeners = new Set<() => void>();
  readonly #consumers = new Set<QueueConsumer>();

  /** A job was enqueued here: wake every idle consumer. */
  wake(): void {
    for (const wake of this.#listeners) wake();
  }

  /** Start a consumer loop over `ops`, polling every `pollMs` when idle. */
  start<T>(ops: TableOps<T>, handler: JobHandler<T>, options: ConsumeOptions, pollMs: number): QueueConsumer {
    const consumer = runTableConsumer<T>(ops, handler, {
      ...options,
      pollMs,
      subscribe: (wake) => {
        this.#listeners.add(wake);
        return () => this.#listeners.delete(wake);
      },
    });
    this.#consumers.add(consumer);
    return {
      stop: async () => {
        this.#consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }

  /** Stop every consumer still running. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#consumers].map((c) => c.stop()));
  }
}
