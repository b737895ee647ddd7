/**
 * A small seeded pseudo-random generator (mulberry32) so that the sandbox's
 * data set and its fault dice are reproducible run after run.
 *
 * @module
 */

/** Deterministic random source built on mulberry32. */
export class Prng {
  #state: number;

  /** Seed the generator (any integer; only the low 32 bits matter). */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in `[0, 1)`. */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in `[min, max]` (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `true` with probability `p` (values outside 0..1 are clamped). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** `n` decimal digits (may start with 0). */
  digits(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += Math.floor(this.next() * 10).toString();
    return out;
  }
}

/**
 * Derive an independent generator from `seed` and a stream name, so that
 * e.g. fault dice never shift the generated data set.
 */
export function forkPrng(seed: number, stream: string): Prng {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < stream.length; i++) {
    h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  }
  return new Prng(h);
}
