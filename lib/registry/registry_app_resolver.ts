import type { AppResolver } from "../token/token_manager_options.ts";
import { LarkError } from "../errors/lark_error.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import { AppDisabledError } from "./app_disabled_error.ts";
import type { AppSecretRecord } from "./app_record.ts";
import type { AppRegistry } from "./app_registry.ts";

/** Options of {@linkcode registryAppResolver}. */
export interface RegistryAppResolverOptions {
  /** How often the registry's change counter is polled, ms (default 1000). */
  pollMs?: number;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Where a registry outage is reported (default silent). */
  logger?: Logger;
}

/**
 * The token manager's `apps` resolver backed by an {@linkcode AppRegistry}: lazy (an app
 * is read and decrypted when a token for it is first asked for), cached, and dropped from
 * the cache when the registry's change counter moves (polled at most every `pollMs`), so
 * an `add`, `update`, `disable` or `remove` by another process is seen within about a
 * second without a restart. A disabled app is refused with {@linkcode AppDisabledError}
 * before any network call; an unusable row is a `ConfigError`. When the registry cannot be
 * read (e.g. PostgreSQL down), apps already cached keep being served (logged at ERROR)
 * until it answers again; an app not cached yet fails with the registry's error.
 *
 * @example
 * ```ts
 * import { registryAppResolver, SqliteAppRegistry } from "./mod.ts";
 * import { testSecretBox } from "../testing/test_secret_box.ts";
 * const registry = new SqliteAppRegistry(":memory:", { box: await testSecretBox() });
 * const apps = registryAppResolver(registry);
 * console.log(await apps("cli_unknown1")); // undefined
 * registry.close();
 * ```
 */
export function registryAppResolver(
  registry: AppRegistry,
  options: RegistryAppResolverOptions = {},
): AppResolver {
  const pollMs = options.pollMs ?? 1000;
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? silentLogger;
  const cache = new Map<string, AppSecretRecord | null>();
  let version: number | undefined;
  let checkedAt = -Infinity;
  return async (appId: string) => {
    const now = clock.now();
    if (now - checkedAt >= pollMs) {
      checkedAt = now;
      try {
        const v = await registry.version();
        if (v !== version) {
          cache.clear();
          version = v;
        }
      } catch (error) {
        if (error instanceof LarkError && error.kind === "config") throw error;
        log.error("registry.unavailable", { app_id: appId, error, action: "继续使用已缓存的应用信息" });
      }
    }
    let rec = cache.get(appId);
    if (rec === undefined) {
      rec = (await registry.credentials(appId)) ?? null;
      cache.set(appId, rec);
    }
    if (!rec) return undefined;
    if (rec.status === "disabled") throw new AppDisabledError(appId);
    return { appId: rec.appId, appSecret: rec.appSecret };
  };
}
