import { type Clock, systemClock } from "../time/clock.ts";
import { immediate } from "../sqlite/immediate.ts";
import { openSafeDatabase } from "../sqlite/open_database.ts";
import type { SafeDatabase, SafeRow } from "../sqlite/safe_database.ts";
import { randomBase64Url, sha256Base64Url } from "../oauth/pkce.ts";
import type { UserAuthSession, UserAuthSessionMethod, UserAuthSessionStatus } from "./user_auth_session.ts";

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
  message_id TEXT,
  browser_hash TEXT
);
CREATE INDEX IF NOT EXISTS user_auth_sessions_due ON user_auth_sessions (status, expires_at);`;

/** Why {@linkcode UserAuthStore.consume} found no usable session. */
export type ConsumeRefusal = "unknown" | "used" | "expired";

/** A session taken by {@linkcode UserAuthStore.consume}. */
export interface ConsumedSession {
  /** The session (now `completed`). */
  session: UserAuthSession;
  /** Its PKCE verifier. */
  verifier: string;
  /** SHA-256 (base64url) of the browser binding a browser login was started with. */
  browserHash?: string;
}

/**
 * User-authorization sessions in SQLite. The `state` handed to Feishu is
 * random and stored only as its SHA-256, bound to one session and usable
 * once (`consume` flips `pending` → `completed` atomically); the PKCE
 * verifier stays server-side. A browser login also keeps the hash of the
 * browser's binding cookie.
 */
export class UserAuthStore {
  readonly #db: SafeDatabase;
  readonly #clock: Clock;

  /** Open (creating) the store at `path`. */
  constructor(path: string, options: { clock?: Clock } = {}) {
    this.#db = openSafeDatabase(path, { schema: SCHEMA });
    addBrowserHashColumn(this.#db);
    this.#clock = options.clock ?? systemClock;
  }

  /** A new pending session; returns it with its `state` and PKCE verifier. */
  async create(input: {
    appId: string;
    userId: string;
    userIdType: "open_id" | "user_id";
    method: UserAuthSessionMethod;
    ttlMs: number;
    /** SHA-256 of the browser binding (browser logins). */
    browserHash?: string;
  }): Promise<{ session: UserAuthSession; state: string; verifier: string }> {
    const state = randomBase64Url(32);
    const verifier = randomBase64Url(32);
    const hash = await sha256Base64Url(state);
    const now = this.#clock.now();
    const id = `uas_${randomBase64Url(12)}`;
    this.#db.prepare(
      `INSERT INTO user_auth_sessions (id, app_id, user_id, user_id_type, method, status, state_hash, verifier, created_at, expires_at, browser_hash)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)`,
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
      input.browserHash ?? null,
    );
    return { session: this.get(id)!, state, verifier };
  }

  /** Note who completed a browser login. */
  setUser(id: string, userId: string): void {
    this.#db.prepare("UPDATE user_auth_sessions SET user_id = ? WHERE id = ?").run(userId, id);
  }

  /** Pending sessions not yet expired (of `appId`, or of every app). */
  pendingCount(appId?: string): number {
    const now = this.#clock.now();
    const row = appId === undefined
      ? this.#db.prepare(
        "SELECT COUNT(*) AS n FROM user_auth_sessions WHERE status = 'pending' AND expires_at > ?",
      ).get(now)
      : this.#db.prepare(
        "SELECT COUNT(*) AS n FROM user_auth_sessions WHERE status = 'pending' AND expires_at > ? AND app_id = ?",
      ).get(now, appId);
    return Number(row?.n ?? 0);
  }

  /** Note the message that carried the request. */
  setMessage(id: string, messageId: string): void {
    this.#db.prepare("UPDATE user_auth_sessions SET message_id = ? WHERE id = ?").run(messageId, id);
  }

  /**
   * Use a `state` once: the pending, unexpired session it belongs to (now
   * `completed`, to be set `failed` if the exchange fails), or why not.
   */
  async consume(state: string): Promise<ConsumedSession | ConsumeRefusal> {
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
      const browserHash = row.browser_hash === null ? undefined : String(row.browser_hash);
      return { session: this.get(String(row.id))!, verifier: String(row.verifier), browserHash };
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

  /**
   * Delete sessions created more than `olderThanMs` ago that are finished, or
   * are browser logins (nobody to tell about their expiry).
   */
  prune(olderThanMs: number): number {
    return Number(
      this.#db.prepare(
        "DELETE FROM user_auth_sessions WHERE created_at < ? AND (status != 'pending' OR method = 'browser')",
      ).run(this.#clock.now() - olderThanMs).changes,
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
    method: r.method === "link" ? "link" : r.method === "browser" ? "browser" : "card",
    status: String(r.status) as UserAuthSessionStatus,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    finishedAt: r.finished_at === null ? undefined : Number(r.finished_at),
    error: r.error === null ? undefined : String(r.error),
    messageId: r.message_id === null ? undefined : String(r.message_id),
  };
}

/** Stores created before browser logins lack `browser_hash`: add it. */
function addBrowserHashColumn(db: SafeDatabase): void {
  const cols = db.prepare("PRAGMA table_info(user_auth_sessions)").all().map((r) => String(r.name));
  if (cols.includes("browser_hash")) return;
  try {
    db.exec("ALTER TABLE user_auth_sessions ADD COLUMN browser_hash TEXT");
  } catch (e) {
    // Another process added it between the two statements.
    if (!/duplicate column/i.test(e instanceof Error ? e.message : String(e))) throw e;
  }
}
