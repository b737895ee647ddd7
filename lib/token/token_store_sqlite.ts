import { SecretBox } from "../crypto/secret_box.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { KeyMutex, lockTimeoutError } from "./_key_mutex.ts";
import { parseTokenRecord } from "./_record.ts";
import { resealRow, rotationCounts } from "./_rekey.ts";
import { SqliteLockRows } from "./_sqlite_lock_rows.ts";
import { rotationConflictError, wrongKeyError } from "./_sqlite_store_errors.ts";
import type { TokenListFilter, TokenRecord, TokenStore } from "./token_store.ts";
import { openSafeDatabase } from "../sqlite/open_database.ts";
import { immediate } from "../sqlite/immediate.ts";
import type { SafeDatabase, SafeStatement } from "../sqlite/safe_database.ts";

/** Options of {@linkcode SqliteTokenStore}. */
export interface SqliteTokenStoreOptions {
  /**
   * Encrypts every record at rest (AES-256-GCM, the row key as associated data); from
   * `loadSecretBox` (env `FEISHU_KIT_KEY` or the key file).
   */
  box: SecretBox;
  /** Time source for lock expiry and polling (default the system clock). */
  clock?: Clock;
  /** Where corrupt rows and lock take-overs are reported (default silent). */
  logger?: Logger;
  /** SQLite `busy_timeout` in ms (default 5000). */
  busyTimeoutMs?: number;
  /** Smallest wait between lock polls in ms (default 10); up to 3× that with jitter. */
  pollMs?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tokens (
  key TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  data TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_app_kind ON tokens(app_id, kind);
CREATE TABLE IF NOT EXISTS locks (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

const FINGERPRINT = "key_fingerprint";

/**
 * A {@linkcode TokenStore} in a SQLite file (built-in `node:sqlite`), shared
 * by every process that opens the same path. WAL mode, `synchronous=NORMAL`
 * and a busy timeout keep concurrent writers safe. The cross-process lock is
 * a row in the `locks` table taken inside `BEGIN IMMEDIATE` (owner id +
 * expiry); waiters poll with short jittered sleeps on the injected clock.
 *
 * Records are encrypted at rest with `box` (the whole record, the row key as
 * associated data, so a row copied under another key does not open). The
 * store remembers its key's fingerprint: opening it with another key while it
 * holds user tokens is a `ConfigError` ("密钥不对…") at once, never a
 * silent re-authorisation; with only tenant/app tokens it logs a WARN and they
 * are fetched again. A row that does not open is, for a tenant/app token, a
 * WARN and a miss (re-fetched with the app secret); for a user token, which
 * cannot be fetched again, a `ConfigError`. Plaintext rows of older versions
 * are read and encrypted in place (compare-and-swap, so a newer write wins).
 *
 * @example
 * ```ts
 * import { loadSecretBox } from "../crypto/key_source.ts";
 *
 * const box = await loadSecretBox({ keyFile: ".state/secret.key" });
 * const store = new SqliteTokenStore(".runs/tokens.db", { box });
 * const rec = await store.get("tenant:cli_x");
 * store.close();
 * ```
 */
export class SqliteTokenStore implements TokenStore {
  #db: SafeDatabase;
  #path: string;
  #box: SecretBox;
  #clock: Clock;
  #logger: Logger;
  #mutex: KeyMutex;
  #pollMs: number;
  #locks: SqliteLockRows;
  #sql: Record<
    "get" | "put" | "del" | "list" | "migrate",
    SafeStatement
  >;

  /**
   * Open (creating when needed) the database at `path`; `":memory:"` works. Throws a
   * `ConfigError` when it holds user tokens sealed with another key.
   */
  constructor(path: string, options: SqliteTokenStoreOptions) {
    this.#path = path;
    this.#box = options.box;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#mutex = new KeyMutex(this.#clock);
    this.#pollMs = options.pollMs ?? 10;
    this.#db = openSafeDatabase(path, { busyTimeoutMs: options.busyTimeoutMs, schema: SCHEMA });
    this.#sql = {
      get: this.#db.prepare("SELECT kind, data FROM tokens WHERE key = ?"),
      put: this.#db.prepare(
        "INSERT OR REPLACE INTO tokens (key, app_id, kind, data, updated_at) VALUES (?, ?, ?, ?, ?)",
      ),
      del: this.#db.prepare("DELETE FROM tokens WHERE key = ?"),
      list: this.#db.prepare(
        "SELECT key, kind, data FROM tokens WHERE (?1 IS NULL OR app_id = ?1) AND (?2 IS NULL OR kind = ?2) ORDER BY key",
      ),
      migrate: this.#db.prepare("UPDATE tokens SET data = ? WHERE key = ? AND data = ?"),
    };
    this.#locks = new SqliteLockRows(this.#db, this.#clock, this.#logger);
    this.#checkKey();
  }

  /**
   * See {@linkcode TokenStore.get}; a corrupt row is logged at ERROR and reported as
   * missing. A row that cannot be decrypted is a miss with a WARN for a tenant/app token
   * and a `ConfigError` for a user token.
   */
  async get(key: string): Promise<TokenRecord | undefined> {
    const row = this.#sql.get.get(key) as { kind: string; data: unknown } | undefined;
    if (!row) return undefined;
    return await this.#read(key, row.kind, row.data, "get");
  }

  /** See {@linkcode TokenStore.put}; encrypted, committed (autocommit) when it resolves. */
  async put(record: TokenRecord): Promise<void> {
    const sealed = await this.#box.seal(JSON.stringify(record), record.key);
    this.#sql.put.run(record.key, record.appId, record.kind, sealed, record.updatedAt);
  }

  /** See {@linkcode TokenStore.delete}. */
  delete(key: string): Promise<void> {
    this.#sql.del.run(key);
    return Promise.resolve();
  }

  /** See {@linkcode TokenStore.list}; corrupt rows are logged and skipped. */
  async list(filter: TokenListFilter = {}): Promise<TokenRecord[]> {
    const rows = this.#sql.list.all(filter.appId ?? null, filter.kind ?? null) as {
      key: string;
      kind: string;
      data: unknown;
    }[];
    const out: TokenRecord[] = [];
    for (const row of rows) {
      const r = await this.#read(row.key, row.kind, row.data, "list");
      if (r) out.push(r);
    }
    return out;
  }

  /** See {@linkcode TokenStore.withLock}. */
  async withLock<T>(key: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    return await this.#mutex.hold(key, timeoutMs, async (deadline) => {
      const owner = crypto.randomUUID();
      while (!this.#locks.tryTake(key, owner, timeoutMs)) {
        const left = deadline - this.#clock.now();
        if (left <= 0) throw lockTimeoutError(key, timeoutMs);
        await this.#clock.sleep(Math.min(left, this.#pollMs * (1 + 2 * Math.random())));
      }
      try {
        return await fn();
      } finally {
        this.#locks.release(key, owner);
      }
    });
  }

  /**
   * Re-encrypt every record with `next` in one transaction (the key rotation of
   * `deno task apps rotate-key`); afterwards the store uses `next` and remembers its
   * fingerprint. A tenant/app row that does not decrypt is dropped (fetched again); a user
   * row that does not decrypt refuses the rotation with a `ConfigError`, changing nothing.
   */
  async rekey(next: SecretBox): Promise<{ records: number; dropped: number }> {
    const rows = this.#db.prepare("SELECT key, kind, data FROM tokens ORDER BY key").all();
    const plan: { key: string; old: string; sealed?: string }[] = [];
    for (const row of rows) {
      const key = String(row.key);
      const old = String(row.data);
      const open = () => SecretBox.isSealed(old) ? this.#box.open(old, key) : Promise.resolve(old);
      const sealed = await resealRow(
        { key, kind: row.kind },
        open,
        next,
        (e) => wrongKeyError(this.#path, undefined, this.#box.fingerprint, e),
      );
      plan.push({ key, old, sealed });
    }
    immediate(this.#db, () => {
      const swap = this.#db.prepare("UPDATE tokens SET data = ? WHERE key = ? AND data = ?");
      const drop = this.#db.prepare("DELETE FROM tokens WHERE key = ? AND data = ?");
      for (const p of plan) {
        const r = p.sealed === undefined ? drop.run(p.key, p.old) : swap.run(p.sealed, p.key, p.old);
        if (Number(r.changes) !== 1) {
          throw rotationConflictError();
        }
      }
      this.#db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(
        FINGERPRINT,
        next.fingerprint,
      );
    });
    this.#box = next;
    return rotationCounts(plan);
  }

  /** Close the database; later calls throw. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** The fingerprint check at open; see the class notes. */
  #checkKey(): void {
    const meta = this.#db.prepare("SELECT value FROM meta WHERE key = ?");
    const stored = meta.get(FINGERPRINT)?.value;
    const current = this.#box.fingerprint;
    if (stored === current) return;
    if (stored !== undefined) {
      const users = this.#db.prepare(
        "SELECT COUNT(*) AS n FROM tokens WHERE kind = 'user' AND data LIKE 'v1:%'",
      )
        .get()!;
      if (Number(users.n) > 0) throw wrongKeyError(this.#path, String(stored), current);
      this.#logger.warn("token_store.key_changed", {
        path: this.#path,
        stored_fingerprint: stored,
        key_fingerprint: current,
        action: "库中只有应用/租户令牌：将用 App Secret 重新获取",
      });
    }
    this.#db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(FINGERPRINT, current);
  }

  async #read(
    key: string,
    kind: string,
    data: unknown,
    via: "get" | "list",
  ): Promise<TokenRecord | undefined> {
    if (typeof data === "string" && SecretBox.isSealed(data)) {
      let text: string;
      try {
        text = await this.#box.open(data, key);
      } catch (e) {
        if (kind !== "user") {
          this.#logger.warn("token_store.undecryptable", {
            key,
            action: "无法解密（密钥不对或数据被改动）：视为缓存未命中，用 App Secret 重新获取",
          });
          return undefined;
        }
        if (via === "list") {
          this.#logger.error("token_store.undecryptable", { key, action: "无法解密，已跳过" });
          return undefined;
        }
        throw wrongKeyError(this.#path, undefined, this.#box.fingerprint, e);
      }
      return this.#parse(key, text);
    }
    const r = this.#parse(key, data);
    if (r) await this.#encryptInPlace(key, data as string);
    return r;
  }

  /** A plaintext row of an older version: encrypt it, unless another write replaced it meanwhile. */
  async #encryptInPlace(key: string, plain: string): Promise<void> {
    const sealed = await this.#box.seal(plain, key);
    const r = this.#sql.migrate.run(sealed, key, plain);
    if (Number(r.changes) > 0) this.#logger.info("token_store.row_encrypted", { key });
  }

  #parse(key: string, data: unknown): TokenRecord | undefined {
    const r = parseTokenRecord(data, key);
    if (typeof r === "string") {
      this.#logger.error("token_store.corrupt_row", { key, reason: r, action: "视为缓存未命中，将被覆盖" });
      return undefined;
    }
    return r;
  }
}
