import type { DatabaseSync, StatementSync } from "node:sqlite";
import { type Clock, systemClock } from "../time/clock.ts";
import { openDatabase } from "../sqlite/open_database.ts";

/** Options of {@linkcode OAuthStateStore}. */
export interface OAuthStateStoreOptions {
  /** How long a state is valid, ms (default 600 000 = 10 min). */
  ttlMs?: number;
  /** Time source (default the system clock). */
  clock?: Clock;
}

/** A consumed state. */
export interface OAuthState<T> {
  /** What was stored with it (e.g. where to return, a PKCE verifier). */
  data: T;
  /** When it was created, ms epoch. */
  createdAt: number;
}

/**
 * OAuth `state` values: random (256 bits, base64url), stored in SQLite,
 * single use (consuming deletes atomically, also across processes) and valid
 * for 10 minutes by default. Data can ride along with a state.
 *
 * @example
 * ```ts
 * const states = new OAuthStateStore(".state/oauth.db");
 * const state = states.create({ returnTo: "/status" });
 * // … in the callback:
 * Deno.serve((req) => {
 *   const found = states.consume<{ returnTo: string }>(new URL(req.url).searchParams.get("state") ?? "");
 *   if (!found) return new Response("授权链接已失效，请重新发起授权。", { status: 400 });
 *   return Response.redirect(new URL(found.data.returnTo, req.url));
 * });
 * ```
 */
export class OAuthStateStore {
  #db: DatabaseSync;
  #clock: Clock;
  #ttl: number;
  #sql: Record<"put" | "take", StatementSync>;

  /** Open (creating when needed) the store at `path` (`":memory:"` works). */
  constructor(path: string, options: OAuthStateStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#ttl = options.ttlMs ?? 600_000;
    this.#db = openDatabase(path, {
      schema:
        "CREATE TABLE IF NOT EXISTS oauth_states (state TEXT PRIMARY KEY, data TEXT NOT NULL, created_at INTEGER NOT NULL)",
    });
    this.#sql = {
      put: this.#db.prepare("INSERT INTO oauth_states (state, data, created_at) VALUES (?, ?, ?)"),
      take: this.#db.prepare("DELETE FROM oauth_states WHERE state = ? RETURNING data, created_at"),
    };
  }

  /** A new state, stored with `data`. Old expired states are swept on the way. */
  create(data: unknown = {}): string {
    const state = crypto.getRandomValues(new Uint8Array(32)).toBase64({
      alphabet: "base64url",
      omitPadding: true,
    });
    const now = this.#clock.now();
    this.prune();
    this.#sql.put.run(state, JSON.stringify(data ?? null), now);
    return state;
  }

  /**
   * Use a state once: returns what was stored, or `undefined` when it is
   * unknown, already used, or older than the TTL.
   */
  consume<T = unknown>(state: string): OAuthState<T> | undefined {
    if (!state || state.length > 200) return undefined;
    const row = this.#sql.take.get(state) as { data: string; created_at: number } | undefined;
    if (!row) return undefined;
    const createdAt = Number(row.created_at);
    if (this.#clock.now() - createdAt > this.#ttl) return undefined;
    return { data: JSON.parse(row.data) as T, createdAt };
  }

  /** Delete expired states; returns how many. */
  prune(): number {
    const r = this.#db.prepare("DELETE FROM oauth_states WHERE created_at < ?").run(
      this.#clock.now() - this.#ttl,
    );
    return Number(r.changes);
  }

  /** Unexpired states waiting for their callback (expired ones are swept first). */
  pending(): number {
    this.prune();
    const row = this.#db.prepare("SELECT COUNT(*) AS n FROM oauth_states").get() as { n: number };
    return Number(row.n);
  }

  /** Close the database. */
  close(): void {
    this.#db.close();
  }
}
