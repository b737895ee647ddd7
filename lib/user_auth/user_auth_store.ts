import { type Clock, systemClock } from "../time/clock.ts";
import { immediate } from "../sqlite/immediate.ts";
import { openSafeDatabase } from "../sqlite/open_database.ts";
import type { SafeDatabase, SafeRow } from "../sqlite/safe_database.ts";
import { randomBase64Url, sha256Base64Url } from "../oauth/pkce.ts";
import type { UserAuthMethod, UserAuthSession, UserAuthSessionStatus } from "./user_auth_session.ts";

const SCHEMA = `CREATE TABLE IF NOT EXISTS user_auth_sessions (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_id_type TEXT NOT NULL,
  method TEXT NOT NULL,
  status TEXT NOT NULL,
  state_hash TEXT NOT NULL UNIQUE,
  verifier TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  finished_at INTEGER,
  error TEXT,
  message_id TEXT
);
CREATE INDEX IF NOT EXISTS user_auth_sessions_due ON user_auth_sessions (status, expires_at);`;

/** Why {@linkcode UserAuthStore.consume} found no usable session. */
export type ConsumeRefusal = "unknown" | "used" | "expired";

/**
 * User-authorization sessions in SQLite. The `state` handed to Feishu is
 * random and stored only as its SHA-256, bound to one session and usable
 * once (`consume` flips `pending` → `completed` atomically); the PKCE
 * verifier stays server-side.
 */
export class UserAuthStore {
  readonly #db: SafeDatabase;
  readonly #clock: Clock;

  /** Open (creating) the store at `path`. */
  constructor(path: string, options: { clock?: Clock } = {}) {
    this.#db = openSafeDatabase(path, { schema: SCHEMA });
    this.#clock = options.clock ?? systemClock;
  }

  /** A new pending session; returns it with its `state` and PKCE verifier. */
  async create(input: {
    appId: string;
    userId: string;
    userIdType: "open_id" | "user_id";
    method: UserAuthMethod;
    ttlMs: number;
  }): Promise<{ session: UserAuthSession; state: string; verifier: string }> {
    const state = randomBase64Url(32);
    const verifier = randomBase64Url(32);
    const hash = await sha256Base64Url(state);
    const now = this.#clock.now();
    const id = `uas_${randomBase64Url(12)}`;
    this.#db.prepare(
      `INSERT INTO user_auth_sessions (id, app_id, user_id, user_id_type, method, status, state_hash, verifier, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
    ).run(
      id,
      input.appId,
      input.userId,
      input.userIdType,
      input.method,
      hash,
      verifier,
      now,
      now + input.ttlMs,
    );
    return { session: this.get(id)!, state, verifier };
  }

  /** Note the message that carried the request. */
  setMessage(id: string, messageId: string): void {
    this.#db.prepare("UPDATE user_auth_sessions SET message_id = ? WHERE id = ?").run(messageId, id);
  }

  /**
   * Use a `state` once: the pending, unexpired session it belongs to (now
   * `completed`, to be set `failed` if the exchange fails), or why not.
   */
  async consume(state: string): Promise<{ session: UserAuthSession; verifier: string } | ConsumeRefusal> {
    if (!state || state.length > 200) return "unknown";
    const hash = await sha256Base64Url(state);
    const now = this.#clock.now();
    return immediate(this.#db, () => {
      const row = this.#db.prepare("SELECT * FROM user_auth_sessions WHERE state_hash = ?").get(hash);
      if (!row) return "unknown";
      if (row.status !== "pending") return row.status === "expired" ? "expired" : "used";
      if (Number(row.expires_at) <= now) {
        this.#finish(String(row.id), "expired", now);
        return "expired";
      }
      this.#finish(String(row.id), "completed", now);
      return { session: this.get(String(row.id))!, verifier: String(row.verifier) };
    });
  }

  /** Mark a consumed session failed (exchange refused, wrong user…). */
  fail(id: string, error: string): void {
    this.#db.prepare(
      "UPDATE user_auth_sessions SET status = 'failed', error = ?, finished_at = ? WHERE id = ?",
    )
      .run(error.slice(0, 300), this.#clock.now(), id);
  }

  /** Expire every pending session past its time; returns them (to tell their users). */
  expireDue(): UserAuthSession[] {
    const now = this.#clock.now();
    return immediate(this.#db, () => {
      const rows = this.#db.prepare(
        "SELECT id FROM user_auth_sessions WHERE status = 'pending' AND expires_at <= ?",
      ).all(now);
      for (const r of rows) this.#finish(String(r.id), "expired", now);
      return rows.map((r) => this.get(String(r.id))!);
    });
  }

  /** Delete finished sessions older than `olderThanMs`. */
  prune(olderThanMs: number): number {
    return Number(
      this.#db.prepare("DELETE FROM user_auth_sessions WHERE status != 'pending' AND created_at < ?")
        .run(this.#clock.now() - olderThanMs).changes,
    );
  }

  /** One session. */
  get(id: string): UserAuthSession | undefined {
    const r = this.#db.prepare("SELECT * FROM user_auth_sessions WHERE id = ?").get(id);
    return r ? toSession(r) : undefined;
  }

  /** Sessions of one app and user, newest first. */
  list(appId: string, userId: string): UserAuthSession[] {
    return this.#db.prepare(
      "SELECT * FROM user_auth_sessions WHERE app_id = ? AND user_id = ? ORDER BY created_at DESC, rowid DESC",
    ).all(appId, userId).map(toSession);
  }

  /** Close the database. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #finish(id: string, status: UserAuthSessionStatus, now: number): void {
    this.#db.prepare("UPDATE user_auth_sessions SET status = ?, finished_at = ? WHERE id = ?").run(
      status,
      now,
      id,
    );
  }
}

function toSession(r: SafeRow): UserAuthSession {
  return {
    id: String(r.id),
    appId: String(r.app_id),
    userId: String(r.user_id),
    userIdType: r.user_id_type === "user_id" ? "user_id" : "open_id",
    method: r.method === "link" ? "link" : "card",
    status: String(r.status) as UserAuthSessionStatus,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    finishedAt: r.finished_at === null ? undefined : Number(r.finished_at),
    error: r.error === null ? undefined : String(r.error),
    messageId: r.message_id === null ? undefined : String(r.message_id),
  };
}
