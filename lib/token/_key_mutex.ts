import { LarkError } from "../errors/lark_error.ts";
import type { Clock } from "../time/clock.ts";

/**
 * In-process exclusive slots per key, FIFO, with a deadline on the given
 * clock. Waiters await a promise instead of polling, so contention inside one
 * process costs no timer wake-ups.
 */
export class KeyMutex {
  #tails = new Map<string, Promise<void>>();
  #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Wait for the slot of `key` until `deadline` (clock ms). Resolves to the
   * release function, or `undefined` when the deadline passed first.
   */
  async acquire(key: string, deadline: number): Promise<(() => void) | undefined> {
    const prev = this.#tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => release = resolve);
    const tail = prev ? prev.then(() => mine) : mine;
    this.#tails.set(key, tail);
    tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    if (!prev) return release;
    const remaining = deadline - this.#clock.now();
    const ac = new AbortController();
    const timer = remaining > 0
      ? this.#clock.sleep(remaining, ac.signal).then(() => false, () => false)
      : Promise.resolve(false);
    const won = await Promise.race([prev.then(() => true), timer]);
    ac.abort();
    if (!won) {
      // Hand our place on as soon as the holder ahead of us is done.
      prev.then(release);
      return undefined;
    }
    return release;
  }

  /**
   * Run `fn` holding the slot of `key`, waiting at most `timeoutMs` for it (a
   * {@linkcode lockTimeoutError} after that). `fn` gets the deadline, for any further
   * (cross-process) lock it takes within the same budget.
   */
  async hold<T>(key: string, timeoutMs: number, fn: (deadline: number) => Promise<T>): Promise<T> {
    const deadline = this.#clock.now() + timeoutMs;
    const release = await this.acquire(key, deadline);
    if (!release) throw lockTimeoutError(key, timeoutMs);
    try {
      return await fn(deadline);
    } finally {
      release();
    }
  }
}

/** The error thrown when a token lock could not be taken in time. */
export function lockTimeoutError(key: string, timeoutMs: number): LarkError {
  const message = `等待令牌锁「${key}」超时（${timeoutMs} 毫秒）`;
  return new LarkError(message, {
    retryable: true,
    hint: `${message}：可能有其他进程正在刷新该令牌或刚刚异常退出，请稍后重试。`,
    endpoint: "token_store.lock",
  });
}
