/**
 * QR logins and web sessions of the sandbox's messenger pages.
 *
 * A visit to the login page creates a login code (shown as a QR-like
 * picture). A test or a person "scans" it through the control endpoint
 * `POST /__sandbox/messenger/scan`; the page's next status poll then turns
 * the code into a session cookie (`messenger_session`, persistent, so a
 * browser profile keeps it between runs). Sessions can be logged out to
 * simulate expiry.
 *
 * @module
 */
import type { Clock } from "../../lib/time/mod.ts";
import { randomHex } from "../../lib/encoding/hex.ts";

/** Name of the messenger session cookie. */
export const MESSENGER_COOKIE = "messenger_session";

/** State of a login code. */
export type LoginCodeStatus = "waiting" | "scanned" | "confirmed" | "expired";

/** One login code. */
export interface LoginCode {
  /** The code (embedded in the QR picture and the page). */
  token: string;
  /** Creation time, ms. */
  createdAt: number;
  /** Expiry time, ms. */
  expiresAt: number;
  /** `true` once scanned (confirmed on the phone). */
  scanned: boolean;
  /** `true` once turned into a session. */
  used: boolean;
}

/** Result of {@linkcode MessengerAuth.poll}. */
export interface LoginPoll {
  /** Status of the code. */
  status: LoginCodeStatus;
  /** The new session value, when `status` is `"confirmed"` (first poll after the scan only). */
  session?: string;
}

/** Login codes and sessions of the messenger pages. */
export class MessengerAuth {
  readonly #clock: Clock;
  readonly #qrTtlMs: number;
  readonly #sessionTtlMs: number;
  readonly #codes = new Map<string, LoginCode>();
  readonly #sessions = new Map<string, number>();

  /** Create the store. */
  constructor(clock: Clock, qrTtlMs: number, sessionTtlMs: number) {
    this.#clock = clock;
    this.#qrTtlMs = qrTtlMs;
    this.#sessionTtlMs = sessionTtlMs;
  }

  /** Lifetime of a session, ms (the cookie's Max-Age). */
  get sessionTtlMs(): number {
    return this.#sessionTtlMs;
  }

  /** A new login code. */
  newCode(): LoginCode {
    const now = this.#clock.now();
    this.#prune(now);
    const code: LoginCode = {
      token: `qr_${randomHex(32)}`,
      createdAt: now,
      expiresAt: now + this.#qrTtlMs,
      scanned: false,
      used: false,
    };
    this.#codes.set(code.token, code);
    return code;
  }

  /** Codes still waiting for a scan, newest last. */
  get pending(): LoginCode[] {
    const now = this.#clock.now();
    return [...this.#codes.values()].filter((c) => !c.scanned && !c.used && now < c.expiresAt);
  }

  /**
   * Scan `token` (or, without one, every pending code). Returns the codes
   * scanned; an unknown, expired or used code is not scanned.
   */
  scan(token?: string): string[] {
    const targets = token === undefined ? this.pending : this.pending.filter((c) => c.token === token);
    for (const c of targets) c.scanned = true;
    return targets.map((c) => c.token);
  }

  /** What the login page's poll sees; a scanned code becomes a session once. */
  poll(token: string): LoginPoll {
    const code = this.#codes.get(token);
    const now = this.#clock.now();
    if (!code || code.used || now >= code.expiresAt) return { status: "expired" };
    if (!code.scanned) return { status: "waiting" };
    code.used = true;
    const session = `ms_${randomHex(40)}`;
    this.#sessions.set(session, now + this.#sessionTtlMs);
    return { status: "confirmed", session };
  }

  /** `true` when `value` is a live session. */
  isValid(value: string | undefined): boolean {
    if (!value) return false;
    const until = this.#sessions.get(value);
    return until !== undefined && this.#clock.now() < until;
  }

  /** Live sessions. */
  get sessionCount(): number {
    const now = this.#clock.now();
    return [...this.#sessions.values()].filter((t) => now < t).length;
  }

  /** Log every session out (the pages then show the QR login again). Returns how many were live. */
  logoutAll(): number {
    const n = this.sessionCount;
    this.#sessions.clear();
    return n;
  }

  /** Forget every code and session. */
  clear(): void {
    this.#codes.clear();
    this.#sessions.clear();
  }

  #prune(now: number): void {
    for (const [k, c] of this.#codes) if (now >= c.expiresAt + 60_000 || c.used) this.#codes.delete(k);
  }
}
