/** A counting semaphore whose limit can change (internal). */
export class Semaphore {
  #free: number;
  #queue: (() => void)[] = [];
  /** Create with `n` slots. */
  constructor(n: number) {
    this.#free = Math.max(1, n);
  }
  /** Take a slot; resolves with its release function. */
  async take(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#free > 0) this.#free--;
    else {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.#queue.indexOf(go);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(signal!.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        this.#queue.push(go);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
