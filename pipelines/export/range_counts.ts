/**
 * What is known exactly about record counts: every count of a day range
 * `[s, e]` (from an export's declared total or a count query) is an edge
 * between the day boundaries `s` and `e + 1` in a weighted union-find. Any
 * range whose two boundaries are connected has a known count, so
 * `[a, x] = [p, x] − [p, a − 1]`: the probes past the end of one window give
 * the counts of the next window's prefixes for free.
 *
 * @module
 */

/**
 * Known counts of day ranges (day numbers), derived through shared
 * boundaries. Pure and in memory; the ledger keeps the facts.
 */
export class RangeCounts {
  #parent = new Map<number, number>();
  /** Potential of a node minus the potential of its parent. */
  #diff = new Map<number, number>();
  #members = new Map<number, number[]>();

  /** Root of `x` and the potential of `x` relative to it (path compression). */
  #find(x: number): [number, number] {
    let p = this.#parent.get(x);
    if (p === undefined) return [x, 0];
    if (p === x) return [x, 0];
    const [root, up] = this.#find(p);
    const d = (this.#diff.get(x) ?? 0) + up;
    this.#parent.set(x, root);
    this.#diff.set(x, d);
    p = root;
    return [p, d];
  }

  #node(x: number): void {
    if (this.#parent.has(x)) return;
    this.#parent.set(x, x);
    this.#diff.set(x, 0);
    this.#members.set(x, [x]);
  }

  /**
   * Record that days `s..e` hold `total` records. Returns false (and keeps
   * what was known) when it contradicts counts already known.
   */
  add(s: number, e: number, total: number): boolean {
    if (e < s) return false;
    const u = s;
    const v = e + 1;
    this.#node(u);
    this.#node(v);
    const [ru, pu] = this.#find(u);
    const [rv, pv] = this.#find(v);
    if (ru === rv) return pv - pu === total;
    // Attach the smaller component under the larger one.
    const mu = this.#members.get(ru)!;
    const mv = this.#members.get(rv)!;
    if (mu.length >= mv.length) {
      this.#parent.set(rv, ru);
      this.#diff.set(rv, pu + total - pv);
      for (const m of mv) mu.push(m);
      this.#members.delete(rv);
    } else {
      this.#parent.set(ru, rv);
      this.#diff.set(ru, pv - total - pu);
      for (const m of mu) mv.push(m);
      this.#members.delete(ru);
    }
    return true;
  }

  /** The count of days `s..e` when known (directly or derived), else undefined. */
  get(s: number, e: number): number | undefined {
    if (e < s) return 0;
    if (!this.#parent.has(s) || !this.#parent.has(e + 1)) return undefined;
    const [ru, pu] = this.#find(s);
    const [rv, pv] = this.#find(e + 1);
    return ru === rv ? pv - pu : undefined;
  }

  /** Every known `[s, e]` count for ranges starting at `s`: pairs `[e, count]`, by `e`. */
  knownFrom(s: number): [number, number][] {
    if (!this.#parent.has(s)) return [];
    const [root, ps] = this.#find(s);
    const out: [number, number][] = [];
    for (const m of this.#members.get(root) ?? []) {
      if (m <= s) continue;
      out.push([m - 1, this.#find(m)[1] - ps]);
    }
    return out.sort((x, y) => x[0] - y[0]);
  }

  /** Number of day boundaries known. */
  get size(): number {
    return this.#parent.size;
  }
}
