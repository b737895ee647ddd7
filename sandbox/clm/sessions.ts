/**
 * CLM web sessions: the `session` cookie values the sandbox accepts.
 *
 * @module
 */

/** Accepts and expires CLM `session` cookie values. */
export class SessionStore {
  readonly #initial: readonly string[];
  readonly #valid = new Set<string>();

  /** Start with `initial` as the valid cookie values. */
  constructor(initial: readonly string[]) {
    this.#initial = [...initial];
    this.restore();
  }

  /** `true` when `value` is a currently valid session cookie. */
  isValid(value: string | undefined): boolean {
    return value !== undefined && value !== "" && this.#valid.has(value);
  }

  /** Accept an extra cookie value (as if the user logged in again). */
  add(value: string): void {
    this.#valid.add(value);
  }

  /** Expire every session: all CLM calls are refused until {@linkcode SessionStore.restore}. */
  expireAll(): number {
    const n = this.#valid.size;
    this.#valid.clear();
    return n;
  }

  /** Make the configured cookie values valid again. */
  restore(): void {
    this.#valid.clear();
    for (const v of this.#initial) this.#valid.add(v);
  }

  /** Currently valid values. */
  get values(): string[] {
    return [...this.#valid];
  }
}
