import type { SecretBox } from "../crypto/secret_box.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../time/clock.ts";
import { parseStoreSetting } from "../token/open_token_store.ts";
import type { AppRegistry } from "./app_registry.ts";
import { PostgresAppRegistry } from "./postgres_app_registry.ts";
import { SqliteAppRegistry } from "./sqlite_app_registry.ts";

/** Options of {@linkcode openAppRegistry}. */
export interface OpenAppRegistryOptions {
  /** Seals the app secrets; from `loadSecretBox`. */
  box: SecretBox;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Where unusable rows are reported (default silent). */
  logger?: Logger;
}

/**
 * The app registry a `store` setting names: `sqlite://<path>` or a plain path (the
 * default, nothing to run), or `postgres://…` (optional `?schema=`) for several hosts.
 * Rejects with a `ConfigError` when the key is not the registry's.
 *
 * @example
 * ```ts
 * import { openAppRegistry } from "./open_app_registry.ts";
 * import { testSecretBox } from "../testing/test_secret_box.ts";
 * const registry = await openAppRegistry("sqlite://:memory:", { box: await testSecretBox() });
 * registry.close();
 * ```
 */
export async function openAppRegistry(store: string, options: OpenAppRegistryOptions): Promise<AppRegistry> {
  const backend = parseStoreSetting(store);
  if (backend.kind === "postgres") return await PostgresAppRegistry.open(backend.url, options);
  return new SqliteAppRegistry(backend.path, options);
}
