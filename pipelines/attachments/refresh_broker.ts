/**
 * URL refreshes of one URL-mode job: the service asks the plugin for a new
 * link with a `refresh` ack and the plugin answers with a
 * `feishu_attachment_refresh` frame matched by `order`. At most
 * {@linkcode RefreshBrokerOptions.maxInflight} (20) orders wait at once, each
 * at most {@linkcode RefreshBrokerOptions.timeoutMs} (10 min); requests for the
 * same order share one waiter but each sends its own ack; a reply nobody waits
 * for is kept for the next request of that order.
 *
 * @module
 */
import { type Clock, systemClock } from "../../lib/time/mod.ts";
import type { RefreshReply } from "./protocol.ts";

/** Options of {@linkcode RefreshBroker}. */
export interface RefreshBrokerOptions {
  /** Send the `refresh` ack for `order`. */
  ask: (order: number, name: string) => void;
  /** Orders waiting at once (default 20). */
  maxInflight?: number;
  /** How long one request waits for the reply, ms (default 600 000). */
  timeoutMs?: number;
  /** Clock for the timeout (default the system clock). */
  clock?: Clock;
}

/** Why a refresh failed. */
export class RefreshError extends Error {}

interface Waiter {
  promise: Promise<string>;
  resolve: (url: string) => void;
  reject: (e: unknown) => void;
  cancel: AbortController;
}

/** Pending refreshes of one job. */
export class RefreshBroker {
  #o: Required<Omit<RefreshBrokerOptions, "clock">> & { clock: Clock };
  #waiters = new Map<number, Waiter>();
  #cached = new Map<number, string>();
  #slotQueue: (() => void)[] = [];
  #closed?: Error;

  /** Create a broker. */
  constructor(o: RefreshBrokerOptions) {
    this.#o = {
      ask: o.ask,
      maxInflight: o.maxInflight ?? 20,
      timeoutMs: o.timeoutMs ?? 600_000,
      clock: o.clock ?? systemClock,
    };
  }

  /** Orders waiting for a reply now. */
  get inflight(): number {
    return this.#waiters.size;
  }

  /** Get a fresh URL for `order` (asks the plugin unless a reply is cached). */
  async request(order: number, name: string, signal?: AbortSignal): Promise<string> {
    if (this.#closed) throw this.#closed;
    const cached = this.#cached.get(order);
    if (cached !== undefined) {
      this.#cached.delete(order);
      return cached;
    }
    let w = this.#waiters.get(order);
    if (!w) {
      while (this.#waiters.size >= this.#o.maxInflight) {
        await new Promise<void>((r) => this.#slotQueue.push(r));
        if (this.#closed) throw this.#closed;
      }
      w = this.#waiters.get(order) ?? this.#start(order);
    }
    this.#o.ask(order, name);
    if (!signal) return await w.promise;
    return await new Promise<string>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      w.promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  /** A reply from the plugin. */
  reply(r: RefreshReply): void {
    const w = this.#waiters.get(r.order);
    if (!w) {
      if ("downloadUrl" in r) this.#cached.set(r.order, r.downloadUrl);
      return;
    }
    this.#finish(r.order, w);
    if ("downloadUrl" in r) w.resolve(r.downloadUrl);
    else w.reject(new RefreshError(`url refresh failed: ${r.error}`));
  }

  /** Fail every waiter (the connection closed) and refuse new requests. */
  close(reason = "connection closed"): void {
    this.#closed = new RefreshError(reason);
    for (const [order, w] of this.#waiters) {
      this.#finish(order, w);
      w.reject(this.#closed);
    }
    for (const r of this.#slotQueue.splice(0)) r();
  }

  #start(order: number): Waiter {
    let resolve!: (url: string) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<string>((a, b) => {
      resolve = a;
      reject = b;
    });
    promise.catch(() => {});
    const w: Waiter = { promise, resolve, reject, cancel: new AbortController() };
    this.#waiters.set(order, w);
    this.#o.clock.sleep(this.#o.timeoutMs, w.cancel.signal).then(() => {
      if (this.#waiters.get(order) !== w) return;
      this.#finish(order, w);
      w.reject(new RefreshError(`url refresh timed out after ${Math.round(this.#o.timeoutMs / 1000)} s`));
    }, () => {});
    return w;
  }

  #finish(order: number, w: Waiter): void {
    w.cancel.abort();
    this.#waiters.delete(order);
    this.#slotQueue.shift()?.();
  }
}
