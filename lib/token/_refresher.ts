import type { Logger } from "../log/logger.ts";
import type { Clock } from "../time/clock.ts";
import { fetchAppLevelRecord, type HeldConfigError } from "./_app_token_fetch.ts";
import type { TokenClockRules } from "./_helpers.ts";
import { SingleFlight } from "./_single_flight.ts";
import { refreshUserRecord } from "./_user_refresh.ts";
import type { AppCredentials, TokenEndpoints } from "./token_endpoints.ts";
import type { TokenRef } from "./token_key.ts";
import type { TokenStats } from "./token_manager_options.ts";
import type { TokenRecord, TokenStore } from "./token_store.ts";

/** Whether a stored record must be replaced (re-checked once the store lock is held). */
export type Need = (r: TokenRecord, now: number) => boolean;

/** What the refresher shares with the token manager (the memory cache and counters by reference). */
export interface RefresherDeps {
  store: TokenStore;
  endpoints: TokenEndpoints;
  clock: Clock;
  log: Logger;
  rules: TokenClockRules;
  /** Wait for the store lock, ms. */
  lockMs: number;
  /** How long a failure (background refresh, rejected credentials) is held before trying again, ms. */
  holdMs: number;
  memory: Map<string, TokenRecord>;
  stats: TokenStats;
}

/**
 * The token manager's refreshes: single-flight per token in the process, under the
 * store's lock across processes (re-reading the store once the lock is held, so a token
 * another process refreshed is reused), one `token.refresh` log line each; background
 * refresh-ahead with a hold after a failure.
 */
export class TokenRefresher {
  readonly #d: RefresherDeps;
  readonly #inflight = new SingleFlight<TokenRecord>();
  readonly #held = new Map<string, HeldConfigError>();
  readonly #bgFailedAt = new Map<string, number>();

  constructor(deps: RefresherDeps) {
    this.#d = deps;
  }

  /** The refresh of `key` in flight, if any. */
  inflight(key: string): Promise<TokenRecord> | undefined {
    return this.#inflight.get(key);
  }

  /** Resolves when no refresh (foreground or background) is in flight. */
  idle(): Promise<void> {
    return this.#inflight.idle();
  }

  /** Refresh ahead in the background (not while one is in flight, nor within the hold after a failure). */
  background(ref: TokenRef, key: string, app: AppCredentials, now: number): void {
    if (this.#inflight.has(key)) return;
    const failedAt = this.#bgFailedAt.get(key);
    if (failedAt !== undefined && now - failedAt < this.#d.holdMs) return;
    this.#d.stats.backgroundRefreshes++;
    this.#d.log.debug("token.refresh_ahead", { key });
    const need: Need = (r, t) => !this.#d.rules.usable(r, t) || this.#d.rules.due(r, t);
    this.refresh(ref, key, app, need).then(
      () => this.#bgFailedAt.delete(key),
      (error) => {
        this.#bgFailedAt.set(key, this.#d.clock.now());
        this.#d.log.warn("token.refresh_ahead_failed", { key, error });
      },
    );
  }

  /** Single-flight per key: callers share one refresh; each caller may abort its own wait. */
  refresh(
    ref: TokenRef,
    key: string,
    app: AppCredentials,
    need: Need,
    signal?: AbortSignal,
  ): Promise<TokenRecord> {
    return this.#inflight.run(
      key,
      () => this.#d.store.withLock(key, this.#d.lockMs, () => this.#refreshLocked(ref, key, app, need)),
      signal,
    );
  }

  async #refreshLocked(ref: TokenRef, key: string, app: AppCredentials, need: Need): Promise<TokenRecord> {
    const stored = await this.#d.store.get(key);
    if (stored && !need(stored, this.#d.clock.now())) {
      this.#d.stats.reusedFromStore++;
      this.#d.memory.set(key, stored);
      this.#d.log.debug("token.reused_from_store", { key });
      return stored;
    }
    // One NDJSON event per refresh: type, reason, result (the spec's observability rule).
    const now = this.#d.clock.now();
    const reason = this.#d.rules.refreshReason(stored, now);
    try {
      const record = await this.#fetchLocked(ref, key, app, stored);
      this.#d.log.info("token.refresh", { type: ref.kind, reason, result: "ok", key });
      return record;
    } catch (error) {
      this.#d.log.warn("token.refresh", { type: ref.kind, reason, result: "failed", key, error });
      throw error;
    }
  }

  async #fetchLocked(
    ref: TokenRef,
    key: string,
    app: AppCredentials,
    stored: TokenRecord | undefined,
  ): Promise<TokenRecord> {
    if (ref.kind === "user") {
      return await refreshUserRecord({
        ref: { appId: ref.appId, userId: ref.userId ?? "" },
        key,
        app,
        stored,
        store: this.#d.store,
        endpoints: this.#d.endpoints,
        clock: this.#d.clock,
        log: this.#d.log,
        rules: this.#d.rules,
        onFetch: () => this.#d.stats.fetches.user++,
        remember: (r) => r ? this.#d.memory.set(key, r) : this.#d.memory.delete(key),
      });
    }
    const record = await fetchAppLevelRecord({
      kind: ref.kind,
      key,
      app,
      endpoints: this.#d.endpoints,
      store: this.#d.store,
      clock: this.#d.clock,
      log: this.#d.log,
      held: this.#held,
      holdMs: this.#d.holdMs,
      onFetch: () => this.#d.stats.fetches[ref.kind as "tenant" | "app"]++,
    });
    this.#d.memory.set(key, record);
    return record;
  }
}
