import { LarkHttp } from "../../lib/http/lark_http.ts";
import { MessageApi } from "../../lib/im/message_api.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { RateLimiter } from "../../lib/rate_limit/rate_limiter.ts";
import type { TokenManager } from "../../lib/token/token_manager.ts";
import type { CoreRetryOptions } from "./core_retry.ts";

/** Options of {@linkcode AppClients}. */
export interface AppClientsOptions {
  /** Open Platform base URL. */
  baseUrl: string;
  /** Where each app's tenant token comes from (its `apps` resolver refuses disabled/removed apps). */
  tokens: Pick<TokenManager, "tenantAuth">;
  /** Retry schedule (see `coreRetry`). */
  retry?: CoreRetryOptions;
  /** Calls per second per app (default 50, Feishu's per-app limit). */
  perSecond?: number;
  /** Apps kept at once; the least recently used client is dropped beyond it (default 256). */
  maxApps?: number;
  /** Logger of the clients. */
  logger?: Logger;
  /**
   * Log every successful call at `info` too (LarkHttp's `logSuccessAtInfo`; default `true`:
   * the core service writes one line per outgoing request to its NDJSON log).
   */
  logSuccessAtInfo?: boolean;
}

interface Clients {
  http: LarkHttp;
  messages: MessageApi;
}

/**
 * One Open Platform client and one messaging API per app id, created on
 * first use and kept (each with its own rate limiter of 50 calls/s): every
 * call of app B carries B's tenant token. Creating a client makes no
 * request; a disabled or removed app is refused by the token manager on the
 * first call (`AppDisabledError` / `ConfigError`) before anything is sent.
 *
 * @example
 * ```ts
 * import type { TokenManager } from "../../lib/token/token_manager.ts";
 * import { AppClients } from "./app_clients.ts";
 *
 * declare const tokens: TokenManager;
 * const clients = new AppClients({ baseUrl: "https://open.feishu.cn", tokens });
 * await clients.messages("cli_a1b2c3d4e5f60718").sendText("open_id", "ou_x", "你好");
 * ```
 */
export class AppClients {
  readonly #o: AppClientsOptions;
  readonly #byApp = new Map<string, Clients>();

  /** Create the (empty) cache. */
  constructor(options: AppClientsOptions) {
    this.#o = options;
  }

  /** The Open Platform client of `appId` (its tenant token, its rate limiter). */
  http(appId: string): LarkHttp {
    return this.#get(appId).http;
  }

  /** The messaging API of `appId`. */
  messages(appId: string): MessageApi {
    return this.#get(appId).messages;
  }

  /** App ids with a client, least recently used first. */
  get appIds(): string[] {
    return [...this.#byApp.keys()];
  }

  #get(appId: string): Clients {
    let c = this.#byApp.get(appId);
    if (c) {
      // Most recently used last.
      this.#byApp.delete(appId);
      this.#byApp.set(appId, c);
      return c;
    }
    const http = new LarkHttp({
      baseUrl: this.#o.baseUrl,
      auth: this.#o.tokens.tenantAuth(appId),
      limiter: new RateLimiter({ buckets: { global: { perSecond: this.#o.perSecond ?? 50 } } }),
      retry: this.#o.retry,
      logger: (this.#o.logger ?? silentLogger).child({ app_id: appId }),
      logSuccessAtInfo: this.#o.logSuccessAtInfo ?? true,
    });
    c = { http, messages: new MessageApi(http) };
    this.#byApp.set(appId, c);
    const max = this.#o.maxApps ?? 256;
    while (this.#byApp.size > max) this.#byApp.delete(this.#byApp.keys().next().value!);
    return c;
  }
}
