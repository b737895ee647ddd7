import { type Clock, systemClock } from "../time/clock.ts";
import { KeyMutex } from "./_key_mutex.ts";
import type { TokenListFilter, TokenRecord, TokenStore } from "./token_store.ts";

/** Options of {@linkcode MemoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /** Time source for lock deadlines (default the system clock). */
  clock?: Clock;
}

/**
 * A {@linkcode TokenStore} kept in this process only (tests, one-shot
 * scripts). Records are copied on the way in and out, like a real store; the
 * lock only excludes callers in this process.
 *
 * @example
 * ```ts
 * const store = new MemoryTokenStore();
 * await store.withLock("tenant:cli_x", 1000, async () => {});
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  #records = new Map<string, TokenRecord>();
  #mutex: KeyMutex;
  #clock: Clock;

  /** Create an empty store. */
  constructor(options: MemoryTokenStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#mutex = new KeyMutex(this.#clock);
  }

  /** See {@linkcode TokenStore.get}. */
  get(key: string): Promise<TokenRecord | undefined> {
    const r = this.#records.get(key);
    return Promise.resolve(r ? { ...r } : undefined);
  }

  /** See {@linkcode TokenStore.put}. */
  put(record: TokenRecord): Promise<void> {
    this.#records.set(record.key, { ...record });
    return Promise.resolve();
  }

  /** See {@linkcode TokenStore.delete}. */
  delete(key: string): Promise<void> {
    this.#records.delete(key);
    return Promise.resolve();
  }

  /** See {@linkcode TokenStore.list}. */
  list(filter: TokenListFilter = {}): Promise<TokenRecord[]> {
    const out = [...this.#records.values()]
      .filter((r) => (!filter.appId || r.appId === filter.appId) && (!filter.kind || r.kind === filter.kind))
      .map((r) => ({ ...r }));
    return Promise.resolve(out);
  }

  /** See {@linkcode TokenStore.withLock}; excludes callers of this store object only. */
  async withLock<T>(key: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    return await this.#mutex.hold(key, timeoutMs, fn);
  }

  /** Nothing to release. */
  close(): void {}
}
