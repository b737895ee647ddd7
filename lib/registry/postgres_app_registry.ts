import type { SecretBox } from "../crypto/secret_box.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { LarkError } from "../errors/lark_error.ts";
import { NetworkError } from "../errors/network_error.ts";
import { isServerError, openPool, parsePgUrl, type Sql } from "../pg/pg_pool.ts";
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
  APP_COLUMNS,
  appInfoFromRow,
  type AppRow,
  concurrentChange,
  credentialsFromRow,
  notRegistered,
  secretAad,
  updateChanges,
  wrongRegistryKey,
} from "./_rows.ts";
import * as changeLog from "./_changes.ts";
import { appendChange, createRegistryTables, readMeta, type Tx, writeMeta } from "./_postgres_tables.ts";

/** Options of {@linkcode PostgresAppRegistry.open}. */
export interface PostgresAppRegistryOptions {
  /** Seals the app secrets (AES-256-GCM); from `loadSecretBox`. */
  box: SecretBox;
  /** Schema of the tables (default: the URL's `?schema=`, else `feishu_kit`); created when missing. */
  schema?: string;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Where unusable rows are reported (default silent). */
  logger?: Logger;
  /** Seconds to wait for a connection (default 5). */
  connectTimeoutSec?: number;
}

/**
 * The app registry in PostgreSQL (npm `postgres`), for services on several hosts: the same
 * {@linkcode AppRegistry} contract as the SQLite one (sealed secrets, append-only change log
 * enforced by a trigger, a version counter, key check at open, one-transaction rotation).
 * Unlike the token store it does not degrade when the database is unreachable: the
 * error reaches the caller (the token manager then fails that request clearly).
 *
 * @example
 * ```ts
 * import { PostgresAppRegistry } from "./postgres_app_registry.ts";
 * import { testSecretBox } from "../testing/test_secret_box.ts";
 * const registry = await PostgresAppRegistry.open("postgres://postgres@127.0.0.1:5432/postgres", {
 *   box: await testSecretBox(),
 * });
 * console.log(await registry.list());
 * await registry.end();
 * ```
 */
export class PostgresAppRegistry implements AppRegistry {
  readonly #sql: Sql;
  readonly #schema: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  #box: SecretBox;

  private constructor(sql: Sql, schema: string, options: PostgresAppRegistryOptions) {
    this.#sql = sql;
    this.#schema = schema;
    this.#box = options.box;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
  }

  /** Connect, create the tables when missing, and check the key (a `ConfigError` when it is another one). */
  static async open(url: string, options: PostgresAppRegistryOptions): Promise<PostgresAppRegistry> {
    const target = parsePgUrl(url, options.schema);
    const sql = openPool(target.url, 4, options.connectTimeoutSec ?? 5);
    const registry = new PostgresAppRegistry(sql, target.schema, options);
    try {
      await registry.#init();
    } catch (e) {
      await sql.end({ timeout: 1 });
      if (e instanceof LarkError || isServerError(e)) throw e;
      throw new NetworkError(`app registry unreachable: ${(e as Error).message}`, {
        retryable: true,
        endpoint: "registry.postgres",
        hint: "无法连接 PostgreSQL 应用登记库：请检查数据库是否在运行、地址与网络后重试。",
        cause: e,
      });
    }
    return registry;
  }

  /** See {@linkcode AppRegistry.list}. */
  async list(): Promise<AppInfo[]> {
    const rows = await this.#sql.unsafe<AppRow[]>(
      `SELECT ${APP_COLUMNS} FROM ${this.#t("apps")} ORDER BY app_id`,
    );
    return await Promise.all(rows.map((r) => appInfoFromRow(r, this.#box, this.#log)));
  }

  /** See {@linkcode AppRegistry.get}. */
  async get(appId: string): Promise<AppInfo | undefined> {
    const row = await this.#row(this.#sql, appId);
    return row ? await appInfoFromRow(row, this.#box, this.#log) : undefined;
  }

  /** See {@linkcode AppRegistry.credentials}. */
  async credentials(appId: string): Promise<AppSecretRecord | undefined> {
    const row = await this.#row(this.#sql, appId);
    return row ? await credentialsFromRow(row, this.#box, this.#log) : undefined;
  }

  /** See {@linkcode AppRegistry.add}. */
  async add(app: NewApp, actor: string): Promise<AppInfo> {
    const { app: a, by } = checkAdd(app, actor);
    const sealed = await this.#box.seal(a.appSecret, secretAad(a.appId));
    const now = this.#clock.now();
    await this.#sql.begin(async (tx) => {
      const inserted = await tx.unsafe(
        `INSERT INTO ${this.#t("apps")} (${APP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (app_id) DO NOTHING RETURNING app_id`,
        [a.appId, sealed, a.name, a.description, a.status, by, now, now],
      );
      if (inserted.length === 0) throw alreadyRegistered(a.appId);
      await appendChange(tx, this.#schema, a.appId, by, now, changeLog.addEntry(a));
    });
    return (await this.get(a.appId))!;
  }

  /** See {@linkcode AppRegistry.update}. */
  async update(appId: string, patch: AppPatch, actor: string): Promise<AppInfo> {
    const { patch: p, by } = checkUpdate(appId, patch, actor);
    const sealed = p.appSecret === undefined
      ? undefined
      : await this.#box.seal(p.appSecret, secretAad(appId));
    const now = this.#clock.now();
    await this.#sql.begin(async (tx) => {
      const row = await this.#mustRow(tx, appId);
      const changes = updateChanges(row, p, sealed !== undefined);
      if (Object.keys(changes).length === 0) return;
      await tx.unsafe(
        `UPDATE ${
          this.#t("apps")
        } SET name = $1, description = $2, secret = $3, updated_at = $4 WHERE app_id = $5`,
        [
          p.name ?? String(row.name),
          p.description ?? String(row.description),
          sealed ?? String(row.secret),
          now,
          appId,
        ],
      );
      await appendChange(tx, this.#schema, appId, by, now, { action: "update", changes });
    });
    return (await this.get(appId))!;
  }

  /** See {@linkcode AppRegistry.setStatus}. */
  async setStatus(appId: string, status: AppStatus, actor: string): Promise<AppInfo> {
    const { status: s, by } = checkStatusChange(appId, status, actor);
    const now = this.#clock.now();
    await this.#sql.begin(async (tx) => {
      const row = await this.#mustRow(tx, appId);
      if (row.status === s) return;
      await tx.unsafe(`UPDATE ${this.#t("apps")} SET status = $1, updated_at = $2 WHERE app_id = $3`, [
        s,
        now,
        appId,
      ]);
      await appendChange(tx, this.#schema, appId, by, now, changeLog.statusEntry(row.status, s));
    });
    return (await this.get(appId))!;
  }

  /** See {@linkcode AppRegistry.remove}. */
  async remove(appId: string, actor: string): Promise<void> {
    const by = checkRemoval(appId, actor);
    const now = this.#clock.now();
    await this.#sql.begin(async (tx) => {
      const row = await this.#mustRow(tx, appId);
      await tx.unsafe(`DELETE FROM ${this.#t("apps")} WHERE app_id = $1`, [appId]);
      await appendChange(tx, this.#schema, appId, by, now, changeLog.removeEntry(row));
    });
  }

  /** See {@linkcode AppRegistry.audit}. */
  async audit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const rows = await this.#sql.unsafe(
      `SELECT id, app_id, actor, at, action, changes FROM ${this.#t("app_changes")}
       WHERE ($1::text IS NULL OR app_id = $1) ORDER BY id DESC LIMIT $2`,
      [filter.appId ?? null, changeLog.auditLimit(filter)],
    );
    return rows.map(changeLog.auditEntryFromRow);
  }

  /** See {@linkcode AppRegistry.version}. */
  async version(): Promise<number> {
    return Number(await readMeta(this.#sql, this.#schema, "version") ?? 0);
  }

  /** See {@linkcode AppRegistry.rotateKey}. */
  async rotateKey(next: SecretBox, actor: string): Promise<{ apps: number }> {
    const by = checkActor(actor);
    const now = this.#clock.now();
    const apps = await this.#sql.begin(async (tx) => {
      const rows = await tx.unsafe<AppRow[]>(
        `SELECT ${APP_COLUMNS} FROM ${this.#t("apps")} ORDER BY app_id FOR UPDATE`,
      );
      for (const r of rows) {
        const appId = String(r.app_id);
        const done = await tx.unsafe(
          `UPDATE ${this.#t("apps")} SET secret = $1 WHERE app_id = $2 AND secret = $3`,
          [await changeLog.resealSecret(this.#box, next, appId, String(r.secret)), appId, String(r.secret)],
        );
        if (done.count !== 1) throw concurrentChange();
      }
      await writeMeta(tx, this.#schema, "key_fingerprint", next.fingerprint);
      await appendChange(
        tx,
        this.#schema,
        "*",
        by,
        now,
        changeLog.rotateEntry(this.#box.fingerprint, next.fingerprint, rows.length),
      );
      return rows.length;
    });
    this.#box = next;
    return { apps };
  }

  /** Close the pool in the background; see {@linkcode end}. */
  close(): void {
    void this.end();
  }

  /** Close the pool and wait. */
  async end(): Promise<void> {
    await this.#sql.end({ timeout: 1 });
  }

  #t(table: string): string {
    return `"${this.#schema}".${table}`;
  }

  async #init(): Promise<void> {
    await this.#sql.begin(async (tx) => {
      await createRegistryTables(tx, this.#schema);
      const stored = await readMeta(tx, this.#schema, "key_fingerprint");
      if (stored === this.#box.fingerprint) return;
      const [{ n }] = await tx.unsafe(`SELECT count(*)::int AS n FROM ${this.#t("apps")}`);
      if (stored !== undefined && n > 0) {
        throw wrongRegistryKey(`PostgreSQL 模式 ${this.#schema}`, stored, this.#box.fingerprint);
      }
      await writeMeta(tx, this.#schema, "key_fingerprint", this.#box.fingerprint);
    });
  }

  async #row(tx: Tx, appId: string, lock = false): Promise<AppRow | undefined> {
    const rows = await tx.unsafe<AppRow[]>(
      `SELECT ${APP_COLUMNS} FROM ${this.#t("apps")} WHERE app_id = $1${lock ? " FOR UPDATE" : ""}`,
      [appId],
    );
    return rows[0];
  }

  async #mustRow(tx: Tx, appId: string): Promise<AppRow> {
    const row = await this.#row(tx, appId, true);
    if (!row) throw notRegistered(appId);
    return row;
  }
}
