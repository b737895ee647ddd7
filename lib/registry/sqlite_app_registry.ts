import type { SecretBox } from "../crypto/secret_box.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { immediate } from "../sqlite/immediate.ts";
import { openSafeDatabase } from "../sqlite/open_database.ts";
import type { SafeDatabase } from "../sqlite/safe_database.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import type { AppRegistry } from "./app_registry.ts";
import type {
  AppInfo,
  AppPatch,
  AppSecretRecord,
  AppStatus,
  AuditEntry,
  AuditFilter,
  NewApp,
} from "./app_record.ts";
import { checkActor, checkAdd, checkRemoval, checkStatusChange, checkUpdate } from "./_validate.ts";
import {
  alreadyRegistered,
  APP_COLUMNS as COLUMNS,
  appInfoFromRow,
  type AppRow,
  concurrentChange,
  credentialsFromRow,
  notRegistered,
  secretAad as aad,
  updateChanges,
  wrongRegistryKey,
} from "./_rows.ts";
import * as changeLog from "./_changes.ts";

/** Options of {@linkcode SqliteAppRegistry}. */
export interface SqliteAppRegistryOptions {
  /** Seals the app secrets (AES-256-GCM); from `loadSecretBox` (env `FEISHU_KIT_KEY` or the key file). */
  box: SecretBox;
  /** Time source of `created_at` / `updated_at` / the change log (default the system clock). */
  clock?: Clock;
  /** Where undecryptable rows are reported (default silent). */
  logger?: Logger;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS apps (
  app_id TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS app_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  changes TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS app_changes_append_only_u BEFORE UPDATE ON app_changes
  BEGIN SELECT RAISE(ABORT, 'app_changes is append-only'); END;
CREATE TRIGGER IF NOT EXISTS app_changes_append_only_d BEFORE DELETE ON app_changes
  BEGIN SELECT RAISE(ABORT, 'app_changes is append-only'); END;
CREATE TABLE IF NOT EXISTS registry_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

/**
 * The app registry in a SQLite file (built-in `node:sqlite`, 0600): the embedded default.
 * Secrets are sealed with {@linkcode SecretBox} (AES-256-GCM, the app id as associated
 * data); the registry remembers its key's fingerprint, so opening it with another key is a
 * `ConfigError` at once ("密钥不对"). Every change runs in one `BEGIN IMMEDIATE`
 * transaction with its change-log entry (the log is append-only, enforced by triggers) and
 * a version bump other processes poll.
 *
 * @example
 * ```ts
 * import { SqliteAppRegistry } from "./sqlite_app_registry.ts";
 * import { testSecretBox } from "../testing/test_secret_box.ts";
 * const registry = new SqliteAppRegistry(":memory:", { box: await testSecretBox() });
 * await registry.add({ appId: "cli_a1b2c3d4", appSecret: "s3cret", name: "审批机器人" }, "alice");
 * console.log((await registry.list()).map((a) => a.status)); // ["active"]
 * registry.close();
 * ```
 */
export class SqliteAppRegistry implements AppRegistry {
  readonly #db: SafeDatabase;
  readonly #path: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  #box: SecretBox;

  /** Open (creating when needed) the registry at `path`; a `ConfigError` when it was sealed with another key. */
  constructor(path: string, options: SqliteAppRegistryOptions) {
    this.#path = path;
    this.#box = options.box;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
    this.#db = openSafeDatabase(path, { schema: SCHEMA });
    this.#checkKey();
  }

  /** See {@linkcode AppRegistry.list}. */
  async list(): Promise<AppInfo[]> {
    const rows = this.#db.prepare(`SELECT ${COLUMNS} FROM apps ORDER BY app_id`).all() as unknown as AppRow[];
    return await Promise.all(rows.map((r) => this.#info(r)));
  }

  /** See {@linkcode AppRegistry.get}. */
  async get(appId: string): Promise<AppInfo | undefined> {
    const row = this.#row(appId);
    return row ? await this.#info(row) : undefined;
  }

  /** See {@linkcode AppRegistry.credentials}. */
  async credentials(appId: string): Promise<AppSecretRecord | undefined> {
    const row = this.#row(appId);
    return row ? await credentialsFromRow(row, this.#box, this.#log) : undefined;
  }

  /** See {@linkcode AppRegistry.add}. */
  async add(app: NewApp, actor: string): Promise<AppInfo> {
    const { app: a, by } = checkAdd(app, actor);
    const sealed = await this.#box.seal(a.appSecret, aad(a.appId));
    const now = this.#clock.now();
    immediate(this.#db, () => {
      if (this.#row(a.appId)) {
        throw alreadyRegistered(a.appId);
      }
      this.#db.prepare(`INSERT INTO apps (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(a.appId, sealed, a.name, a.description, a.status, by, now, now);
      this.#logChange(a.appId, by, now, changeLog.addEntry(a));
    });
    return (await this.get(a.appId))!;
  }

  /** See {@linkcode AppRegistry.update}. */
  async update(appId: string, patch: AppPatch, actor: string): Promise<AppInfo> {
    const { patch: p, by } = checkUpdate(appId, patch, actor);
    const sealed = p.appSecret === undefined ? undefined : await this.#box.seal(p.appSecret, aad(appId));
    const now = this.#clock.now();
    immediate(this.#db, () => {
      const row = this.#mustRow(appId);
      const changes = updateChanges(row, p, sealed !== undefined);
      if (Object.keys(changes).length === 0) return;
      this.#db.prepare(
        "UPDATE apps SET name = ?, description = ?, secret = ?, updated_at = ? WHERE app_id = ?",
      ).run(
        p.name ?? String(row.name),
        p.description ?? String(row.description),
        sealed ?? String(row.secret),
        now,
        appId,
      );
      this.#logChange(appId, by, now, { action: "update", changes });
    });
    return (await this.get(appId))!;
  }

  /** See {@linkcode AppRegistry.setStatus}; setting the current status again changes nothing. */
  async setStatus(appId: string, status: AppStatus, actor: string): Promise<AppInfo> {
    const { status: s, by } = checkStatusChange(appId, status, actor);
    const now = this.#clock.now();
    immediate(this.#db, () => {
      const row = this.#mustRow(appId);
      if (row.status === s) return;
      this.#db.prepare("UPDATE apps SET status = ?, updated_at = ? WHERE app_id = ?").run(s, now, appId);
      this.#logChange(appId, by, now, changeLog.statusEntry(row.status, s));
    });
    return (await this.get(appId))!;
  }

  /** See {@linkcode AppRegistry.remove}. */
  // deno-lint-ignore require-await
  async remove(appId: string, actor: string): Promise<void> {
    const by = checkRemoval(appId, actor);
    const now = this.#clock.now();
    immediate(this.#db, () => {
      const row = this.#mustRow(appId);
      this.#db.prepare("DELETE FROM apps WHERE app_id = ?").run(appId);
      this.#logChange(appId, by, now, changeLog.removeEntry(row));
    });
  }

  /** See {@linkcode AppRegistry.audit}. */
  audit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const rows = this.#db.prepare(
      "SELECT id, app_id, actor, at, action, changes FROM app_changes WHERE (?1 IS NULL OR app_id = ?1) ORDER BY id DESC LIMIT ?2",
    ).all(filter.appId ?? null, changeLog.auditLimit(filter));
    return Promise.resolve(rows.map(changeLog.auditEntryFromRow));
  }

  /** See {@linkcode AppRegistry.version}. */
  version(): Promise<number> {
    return Promise.resolve(Number(this.#meta("version") ?? 0));
  }

  /** See {@linkcode AppRegistry.rotateKey}. */
  async rotateKey(next: SecretBox, actor: string): Promise<{ apps: number }> {
    const by = checkActor(actor);
    const rows = this.#db.prepare("SELECT app_id, secret FROM apps ORDER BY app_id").all();
    const resealed: { appId: string; old: string; sealed: string }[] = [];
    for (const r of rows) {
      const appId = String(r.app_id);
      const old = String(r.secret);
      resealed.push({ appId, old, sealed: await changeLog.resealSecret(this.#box, next, appId, old) });
    }
    const now = this.#clock.now();
    immediate(this.#db, () => {
      const count = Number(this.#db.prepare("SELECT COUNT(*) AS n FROM apps").get()!.n);
      if (count !== resealed.length) throw concurrentChange();
      const swap = this.#db.prepare("UPDATE apps SET secret = ? WHERE app_id = ? AND secret = ?");
      for (const r of resealed) {
        if (Number(swap.run(r.sealed, r.appId, r.old).changes) !== 1) throw concurrentChange();
      }
      this.#setMeta("key_fingerprint", next.fingerprint);
      this.#logChange(
        "*",
        by,
        now,
        changeLog.rotateEntry(this.#box.fingerprint, next.fingerprint, resealed.length),
      );
    });
    this.#box = next;
    return { apps: resealed.length };
  }

  /** See {@linkcode AppRegistry.close}. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #checkKey(): void {
    const stored = this.#meta("key_fingerprint");
    if (stored === this.#box.fingerprint) return;
    const apps = Number(this.#db.prepare("SELECT COUNT(*) AS n FROM apps").get()!.n);
    if (stored !== undefined && apps > 0) {
      throw wrongRegistryKey(this.#path, stored, this.#box.fingerprint);
    }
    immediate(this.#db, () => this.#setMeta("key_fingerprint", this.#box.fingerprint));
  }

  #row(appId: string): AppRow | undefined {
    return this.#db.prepare(`SELECT ${COLUMNS} FROM apps WHERE app_id = ?`).get(appId) as
      | AppRow
      | undefined;
  }

  #mustRow(appId: string): AppRow {
    const row = this.#row(appId);
    if (!row) throw notRegistered(appId);
    return row;
  }

  #info(row: AppRow): Promise<AppInfo> {
    return appInfoFromRow(row, this.#box, this.#log);
  }

  #logChange(
    appId: string,
    actor: string,
    at: number,
    { action, changes }: changeLog.ChangeEntry,
  ): void {
    this.#db.prepare("INSERT INTO app_changes (app_id, actor, at, action, changes) VALUES (?, ?, ?, ?, ?)")
      .run(appId, actor, at, action, JSON.stringify(changes));
    this.#setMeta("version", String(Number(this.#meta("version") ?? 0) + 1));
  }

  #meta(key: string): string | undefined {
    const v = this.#db.prepare("SELECT value FROM registry_meta WHERE key = ?").get(key)?.value;
    return v === undefined ? undefined : String(v);
  }

  #setMeta(key: string, value: string): void {
    this.#db.prepare("INSERT OR REPLACE INTO registry_meta (key, value) VALUES (?, ?)").run(key, value);
  }
}
