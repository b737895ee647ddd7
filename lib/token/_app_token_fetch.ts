import { ConfigError } from "../errors/config_error.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../time/clock.ts";
import type { AppCredentials, FetchedAppToken, TokenEndpoints } from "./token_endpoints.ts";
import type { TokenRecord, TokenStore } from "./token_store.ts";

/** A remembered wrong-credentials failure, so a burst of callers causes one endpoint call. */
export interface HeldConfigError {
  error: ConfigError;
  until: number;
  /** The secret that was refused: a changed secret is tried at once. */
  secret: string;
}

/** Everything a tenant/app token fetch needs from the manager. */
export interface AppFetchContext {
  kind: "tenant" | "app";
  key: string;
  app: AppCredentials;
  endpoints: TokenEndpoints;
  store: TokenStore;
  clock: Clock;
  log: Logger;
  /** Per-key held ConfigErrors (shared with the manager). */
  held: Map<string, HeldConfigError>;
  holdMs: number;
  /** Count one endpoint call. */
  onFetch: () => void;
}

/**
 * Fetch a tenant or app token (under the store lock) and write it to the
 * store. A `ConfigError` (wrong app id/secret) is remembered for `holdMs` and
 * rethrown without calling the endpoint while the secret is unchanged.
 */
export async function fetchAppLevelRecord(c: AppFetchContext): Promise<TokenRecord> {
  const issuedAt = c.clock.now();
  const held = c.held.get(c.key);
  if (held && held.until > issuedAt && held.secret === c.app.appSecret) throw held.error;
  c.onFetch();
  let fetched: FetchedAppToken;
  try {
    fetched = c.kind === "tenant"
      ? await c.endpoints.fetchTenantToken(c.app)
      : await c.endpoints.fetchAppToken(c.app);
  } catch (error) {
    if (error instanceof ConfigError) {
      c.held.set(c.key, { error, until: c.clock.now() + c.holdMs, secret: c.app.appSecret });
    }
    c.log.error("token.fetch_failed", { key: c.key, error });
    throw error;
  }
  c.held.delete(c.key);
  const record: TokenRecord = {
    key: c.key,
    kind: c.kind,
    appId: c.app.appId,
    accessToken: fetched.token,
    issuedAt,
    expiresAt: issuedAt + fetched.expireSeconds * 1000,
    status: "active",
    updatedAt: c.clock.now(),
  };
  await c.store.put(record);
  c.log.info("token.fetched", { key: c.key, expire_s: fetched.expireSeconds });
  return record;
}
