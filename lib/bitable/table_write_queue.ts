/**
 * One write at a time per Base table: Feishu refuses concurrent writes on the
 * same table with 1254291 (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/bitable/notification),
 * so every write to a table waits for the previous one. Tables are
 * independent; an idle table's queue is dropped.
 *
 * @example
 * ```ts
 * import { TableWriteQueue } from "./table_write_queue.ts";
 * const q = new TableWriteQueue();
 * const [a, b] = await Promise.all([q.run("app/tbl", async () => 1), q.run("app/tbl", async () => 2)]);
 * console.log(a + b);
 * ```
 */
export class TableWriteQueue {
  readonly #tails = new Map<string, Promise<unknown>>();
  #running = 0;
  #maxRunningPerKey = 0;
  readonly #runningByKey = new Map<string, number>();

  /** Run `fn` after every earlier write of `key` settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.#enter(key, fn), () => this.#enter(key, fn));
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }

  /** Tables with queued or running writes. */
  get activeTables(): number {
    return this.#tails.size;
  }

  /** Most writes ever seen running at once on one table (1 when the queue works). */
  get maxConcurrentPerTable(): number {
    return this.#maxRunningPerKey;
  }

  /** Writes running now, all tables. */
  get running(): number {
    return this.#running;
  }

  async #enter<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const n = (this.#runningByKey.get(key) ?? 0) + 1;
    this.#runningByKey.set(key, n);
    this.#maxRunningPerKey = Math.max(this.#maxRunningPerKey, n);
    this.#running++;
    try {
      return await fn();
    } finally {
      this.#running--;
      const left = (this.#runningByKey.get(key) ?? 1) - 1;
      if (left === 0) this.#runningByKey.delete(key);
      else this.#runningByKey.set(key, left);
    }
  }
}
