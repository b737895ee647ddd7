import { ClmApi } from "../../lib/clm/clm_api.ts";
import { cookieAuth } from "../../lib/clm/cookie_auth.ts";
import { ContractApi } from "../../lib/contract/contract_api.ts";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { RateLimiter } from "../../lib/rate_limit/rate_limiter.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import { LarkTokenEndpoints } from "../../lib/token/lark_token_endpoints.ts";
import { TokenManager } from "../../lib/token/token_manager.ts";
import type { TokenStore } from "../../lib/token/token_store.ts";
import type { ChatIdConfig } from "./config.ts";
import type { ResolveDeps } from "./resolve.ts";

/** Everything a chatid run talks through, wired from one config. */
export interface ChatIdContext extends ResolveDeps {
  /** Shared buckets. */
  limiter: RateLimiter;
  /** Token manager (tenant token of the configured app). */
  tokens: TokenManager;
  /** Open Platform client. */
  openHttp: LarkHttp;
  /** contract.feishu.cn client. */
  clmHttp: LarkHttp;
  /** Throttling answers seen by both clients. */
  throttled(): number;
  /** Retries made so far by both clients and the token endpoints (token refreshes included). */
  retries(): number;
}

/** Options of {@linkcode createChatIdContext}. */
export interface ChatIdContextOptions {
  /** Token store (the script passes a SQLite store). */
  store: TokenStore;
  /** Logger. */
  logger?: Logger;
  /** Time source. */
  clock?: Clock;
  /** `fetch` (tests). */
  fetch?: typeof fetch;
}

/** Build the limiter, token manager and API clients for a chatid run. */
export function createChatIdContext(config: ChatIdConfig, o: ChatIdContextOptions): ChatIdContext {
  const clock = o.clock ?? systemClock;
  const logger = o.logger ?? silentLogger;
  const rl = config.rate_limit;
  const limiter = new RateLimiter({
    clock,
    buckets: {
      global: { perMinute: rl.global_qpm },
      contract_search: { perMinute: rl.contract_search_qpm },
      contract_info: { perMinute: rl.contract_info_qpm },
      cooperation_info: { perMinute: rl.cooperation_info_qpm },
    },
  });
  const app = { appId: config.app.app_id, appSecret: config.app.app_secret };
  const endpoints = new LarkTokenEndpoints({ baseUrl: config.app.base_url, fetch: o.fetch, clock, logger });
  const tokens = new TokenManager({
    store: o.store,
    endpoints,
    apps: (appId: string) => appId === app.appId ? app : undefined,
    clock,
    logger,
  });
  const common = {
    fetch: o.fetch,
    clock,
    logger,
    limiter,
    connectTimeoutMs: config.http.connect_timeout_ms,
    totalTimeoutMs: config.http.total_timeout_ms,
    retry: { retries: config.retry.max_retries, baseMs: config.retry.base_ms, capMs: config.retry.cap_ms },
  };
  const openHttp = new LarkHttp({
    ...common,
    baseUrl: config.app.base_url,
    auth: tokens.tenantAuth(app.appId),
  });
  const clmHttp = new LarkHttp({
    ...common,
    baseUrl: config.clm.base_url,
    auth: cookieAuth(config.clm.cookie, config.clm.headers),
  });
  return {
    limiter,
    tokens,
    openHttp,
    clmHttp,
    clock,
    contracts: new ContractApi(openHttp),
    clm: new ClmApi(clmHttp),
    throttled: () => openHttp.throttledCount + clmHttp.throttledCount,
    retries: () => openHttp.retryCount + clmHttp.retryCount + endpoints.retryCount,
  };
}
