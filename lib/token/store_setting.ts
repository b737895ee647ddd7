import { resolveKeyFile } from "../crypto/key_source.ts";
import { LarkError } from "../errors/lark_error.ts";
import { parsePgUrl } from "../pg/pg_pool.ts";
import { parseStoreSetting } from "./open_token_store.ts";

/**
 * What is wrong with a store setting (`sqlite://…`, a file path, or
 * `postgres://user@host:port/db`), in Chinese for a config error; `undefined`
 * when it is usable. A PostgreSQL URL must name its user: a process with
 * restricted permissions cannot look up the OS account name.
 *
 * @example
 * ```ts
 * import { storeSettingProblem } from "./store_setting.ts";
 * console.log(storeSettingProblem("postgres://127.0.0.1/db")); // 须写明用户名…
 * ```
 */
export function storeSettingProblem(setting: string): string | undefined {
  let backend;
  try {
    backend = parseStoreSetting(setting);
  } catch (e) {
    return e instanceof LarkError ? e.hint : String(e);
  }
  if (backend.kind === "sqlite") return undefined;
  let url: URL;
  try {
    url = new URL(backend.url);
  } catch {
    return "PostgreSQL 地址无效：应形如 postgres://用户名@主机:5432/数据库名（可加 ?schema=模式名）。";
  }
  if (!url.hostname) return "PostgreSQL 地址须写明主机：postgres://用户名@主机:5432/数据库名。";
  if (!url.username) return "PostgreSQL 地址须写明用户名：postgres://用户名@主机:5432/数据库名。";
  try {
    parsePgUrl(backend.url); // the ?schema= name
  } catch (e) {
    return e instanceof LarkError ? e.hint : String(e);
  }
  return undefined;
}

/**
 * The `host:port` a PostgreSQL store connects to (port 5432 when the
 * URL names none), for a network permission; `undefined` for SQLite.
 *
 * @example
 * ```ts
 * import { storeNetHost } from "./store_setting.ts";
 * console.log(storeNetHost("postgres://kit@db.internal/feishu")); // "db.internal:5432"
 * ```
 */
export function storeNetHost(setting: string): string | undefined {
  const backend = parseStoreSetting(setting);
  if (backend.kind === "sqlite") return undefined;
  const url = new URL(backend.url);
  return `${url.hostname}:${url.port || "5432"}`;
}

/**
 * The SQLite file of a store setting; `undefined` for PostgreSQL.
 *
 * @example
 * ```ts
 * import { storeFile } from "./store_setting.ts";
 * console.log(storeFile("sqlite://.state/tokens.sqlite")); // ".state/tokens.sqlite"
 * ```
 */
export function storeFile(setting: string): string | undefined {
  const backend = parseStoreSetting(setting);
  return backend.kind === "sqlite" ? backend.path : undefined;
}

/**
 * The key file that encrypts a store's secrets: `configured` when set, else
 * `secret.key` beside the SQLite file — or, for PostgreSQL, beside
 * `stateFile` (a file in the local state folder; never derived from the URL).
 *
 * @example
 * ```ts
 * import { storeKeyFile } from "./store_setting.ts";
 * storeKeyFile("", "postgres://kit@db:5432/feishu", ".state/tokens.sqlite"); // ".state/secret.key"
 * ```
 */
export function storeKeyFile(configured: string | undefined, setting: string, stateFile: string): string {
  return resolveKeyFile(configured, storeFile(setting) ?? stateFile);
}

/**
 * A store setting, or SQLite at `defaultFile` when it is empty (so a config
 * that names only a database file keeps working).
 *
 * @example
 * ```ts
 * import { storeSettingOr } from "./store_setting.ts";
 * console.log(storeSettingOr("", ".state/tokens.sqlite")); // "sqlite://.state/tokens.sqlite"
 * ```
 */
export function storeSettingOr(setting: string | undefined, defaultFile: string): string {
  return setting?.trim() ? setting.trim() : `sqlite://${defaultFile}`;
}
