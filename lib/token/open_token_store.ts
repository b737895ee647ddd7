import type { SecretBox } from "../crypto/secret_box.ts";
import { ConfigError } from "../errors/config_error.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../time/clock.ts";
import type { TokenStore } from "./token_store.ts";
import { SqliteTokenStore } from "./token_store_sqlite.ts";
import { PostgresTokenStore } from "./token_store_postgres.ts";

/** Options of {@linkcode openTokenStore}. */
export interface OpenTokenStoreOptions {
  /** Seals every record at rest; from `loadSecretBox`. */
  box: SecretBox;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Where outages and corrupt rows are reported (default silent). */
  logger?: Logger;
}

/** Which backend a `store` setting names. */
export type StoreBackend = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

/**
 * Parse a `store` setting: `sqlite://<path>` (`sqlite:///abs/path` for an absolute path),
 * `postgres://…` / `postgresql://…` (optional `?schema=name`), or a plain file path
 * (SQLite). Anything else is a {@linkcode ConfigError}.
 */
export function parseStoreSetting(store: string): StoreBackend {
  const s = store.trim();
  if (/^postgres(ql)?:\/\//i.test(s)) return { kind: "postgres", url: s };
  if (/^sqlite:\/\//i.test(s)) {
    const path = s.slice("sqlite://".length);
    if (path) return { kind: "sqlite", path };
  } else if (s && !/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    return { kind: "sqlite", path: s };
  }
  throw new ConfigError(`unsupported store setting: ${s.replace(/\/\/[^@/]*@/, "//***@")}`, {
    hint:
      "store 配置无效：应为 sqlite://文件路径（默认，无需安装任何服务）或 postgres://用户名@主机:5432/数据库名。",
  });
}

/**
 * The token store a `store` setting names (see {@linkcode parseStoreSetting}): SQLite by
 * default, so a quick start needs nothing running; PostgreSQL for processes on several hosts.
 *
 * @example
 * ```ts
 * import { openTokenStore } from "./open_token_store.ts";
 * import { testSecretBox } from "../testing/test_secret_box.ts";
 * const store = openTokenStore("sqlite://:memory:", { box: await testSecretBox() });
 * store.close();
 * ```
 */
export function openTokenStore(store: string, options: OpenTokenStoreOptions): TokenStore {
  const backend = parseStoreSetting(store);
  if (backend.kind === "postgres") return new PostgresTokenStore(backend.url, options);
  return new SqliteTokenStore(backend.path, options);
}

/**
 * Close a token store and wait for it: a PostgreSQL store's connections are
 * ended (pending writes flushed), others are closed at once.
 *
 * @example
 * ```ts
 * import { closeTokenStore, openTokenStore } from "./open_token_store.ts";
 * import { testSecretBox } from "../testing/test_secret_box.ts";
 * await closeTokenStore(openTokenStore("sqlite://:memory:", { box: await testSecretBox() }));
 * ```
 */
export async function closeTokenStore(store: TokenStore): Promise<void> {
  if (store instanceof PostgresTokenStore) await store.end();
  else store.close();
}
