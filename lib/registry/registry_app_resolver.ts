import type { AppResolver } from "../token/token_manager_options.ts";
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
}

/**
 * The token manager's `apps` resolver backed by an {@linkcode AppRegistry}: lazy (an app
 * is read and decrypted when a token for it is first asked for), cached, and dropped from
 * the cache when the registry's change counter moves (polled at most every `pollMs`), so
 * an `add`, `update`, `disable` or `remove` by another process is seen within about a
 * second without a restart. A disabled app is refused with {@linkcode AppDisabledError}
 * before any network call; an unusable row is a `ConfigError`.
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
  const cache = new Map<string, AppSecretRecord | null>();
  let version: number | undefined;
  let checkedAt = -Infinity;
  return async (appId: string) => {
    const now = clock.now();
    if (now - checkedAt >= pollMs) {
      const v = await registry.version();
      checkedAt = now;
      if (v !== version) {
        cache.clear();
        version = v;
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
