import { type Logger, silentLogger } from "../../../lib/log/logger.ts";
import { type Clock, systemClock } from "../../../lib/time/clock.ts";
import type { KeepAliveResult } from "../../../lib/token/token_manager_options.ts";
import type { TokenManager } from "../../../lib/token/token_manager.ts";

/** Options of {@linkcode TokenKeepAlive}. */
export interface TokenKeepAliveOptions {
  /** The token manager holding the users' logins. */
  tokens: Pick<TokenManager, "refreshIdleUserTokens">;
  /** The app whose users are kept alive. */
  appId: string;
  /** Time between rounds, ms (default 1 h). */
  intervalMs?: number;
  /** Refresh logins whose refresh token expires within this time, ms (default 24 h). */
  withinMs?: number;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Logger (user ids and counts; never a token). */
  logger?: Logger;
}

/**
 * Keeps idle logins alive: a user who has no meeting for a week would
 * otherwise lose their refresh token (7 days in Feishu's v2 OAuth). Every
 * `intervalMs` (first round at start) it asks the token manager to refresh
 * every login whose refresh token expires within `withinMs`; the rotated
 * refresh token is saved before the new access token is used, and a refresh
 * that fails for an unclear reason sets the login aside instead of deleting
 * it (the user gets a red card on their next meeting).
 *
 * @example
 * ```ts
 * import type { MeetingClients } from "./meeting_clients.ts";
 *
 * declare const clients: MeetingClients, signal: AbortSignal;
 * const keepAlive = new TokenKeepAlive({ tokens: clients.tokens, appId: clients.app.appId });
 * const done = keepAlive.run(signal); // resolves once signal aborts
 * ```
 */
export class TokenKeepAlive {
  #o: TokenKeepAliveOptions;
  #clock: Clock;
  #log: Logger;
  #rounds = 0;

  /** Create the timer; see {@linkcode TokenKeepAliveOptions} for defaults. */
  constructor(options: TokenKeepAliveOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
  }

  /** Rounds run so far. */
  get rounds(): number {
    return this.#rounds;
  }

  /** One round: refresh every login close to lapsing. */
  async runOnce(signal?: AbortSignal): Promise<KeepAliveResult> {
    this.#rounds++;
    const r = await this.#o.tokens.refreshIdleUserTokens(this.#o.appId, {
      withinMs: this.#o.withinMs ?? 24 * 3_600_000,
      signal,
    });
    for (const f of r.failed) {
      this.#log.warn("meeting.keep_alive_failed", { user_id: f.userId, error: f.error });
    }
    return r;
  }

  /** Run a round now and then every `intervalMs` until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.runOnce(signal);
      } catch (e) {
        if (signal.aborted) return;
        this.#log.warn("meeting.keep_alive_error", { error: e });
      }
      try {
        await this.#clock.sleep(this.#o.intervalMs ?? 3_600_000, signal);
      } catch {
        return;
      }
    }
  }
}
