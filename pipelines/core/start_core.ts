import { loadSecretBox } from "../../lib/crypto/key_source.ts";
import {
  cardCallbackSink,
  type CardJob,
  CardRouter,
  type HandledLedger,
  PatchCardUpdater,
  PostgresHandledLedger,
  SqliteHandledLedger,
} from "../../lib/callback/mod.ts";
import { LongConnection } from "../../lib/events/ws_adapter.ts";
import type { LarkHttp } from "../../lib/http/lark_http.ts";
import type { MessageApi } from "../../lib/im/message_api.ts";
import type { Logger } from "../../lib/log/logger.ts";
import { openQueue } from "../../lib/queue/open_queue.ts";
import { LarkTokenEndpoints } from "../../lib/token/lark_token_endpoints.ts";
import { openTokenStore } from "../../lib/token/open_token_store.ts";
import { TokenManager } from "../../lib/token/token_manager.ts";
import { registerUserAuthRoutes, UserAuthService, UserAuthStore } from "../../lib/user_auth/mod.ts";
import { openAppRegistry } from "../../lib/registry/open_app_registry.ts";
import { registryAppResolver } from "../../lib/registry/registry_app_resolver.ts";
import type { CoreConfig } from "./config.ts";
import { type CoreService, createCoreService } from "./core_service.ts";
import { AppClients } from "./app_clients.ts";
import { coreRetry } from "./core_retry.ts";

/** Everything `deno task core` runs. */
export interface RunningCore {
  /** The HTTP service. */
  service: CoreService;
  /** Card handlers: register yours with `router.on(name, handler)`. */
  router: CardRouter;
  /** User authorization. */
  userAuth: UserAuthService;
  /** Tokens. */
  tokens: TokenManager;
  /** Each app's client and messaging (created on first use, one per app id of the registry). */
  clients: AppClients;
  /** The configured app's client (`clients.http(config.app.appId)`). */
  http: LarkHttp;
  /** The configured app's messaging (`clients.messages(config.app.appId)`). */
  messages: MessageApi;
  /** Stop workers and sweeps, close stores. */
  close(): Promise<void>;
}

/**
 * Wire the core from its config: tokens in the configured store (SQLite by
 * default, or PostgreSQL; encrypted with the key from `FEISHU_KIT_KEY` or
 * `<stateDir>/secret.key`), one HTTP client per app with the spec's retry
 * schedule (1 s, 2 s, 4 s unless configured), the queue by URL, the card
 * worker, user authorization (sessions swept every minute) and the admin API.
 *
 * @example
 * ```ts
 * import { createLogger } from "../../lib/log/logger.ts";
 * import { loadCoreConfig } from "./config.ts";
 * import { startCore } from "./start_core.ts";
 *
 * const core = await startCore(loadCoreConfig(), { logger: createLogger() });
 * await core.close();
 * ```
 */
export async function startCore(
  config: CoreConfig,
  o: { logger: Logger; router?: CardRouter },
): Promise<RunningCore> {
  const box = await loadSecretBox({ keyFile: `${config.stateDir}/secret.key` });
  // The configured app, then every app in the registry (`deno task apps`, or the admin API):
  // changes are seen within a second, a disabled app is refused before any request.
  const registry = await openAppRegistry(config.appsStore, { box, logger: o.logger });
  const fromRegistry = registryAppResolver(registry, { logger: o.logger });
  const apps = (id: string) => id === config.app.appId ? config.app : fromRegistry(id);
  const endpoints = new LarkTokenEndpoints({ baseUrl: config.baseUrl, logger: o.logger });
  const tokenStore = openTokenStore(config.tokensStore, { box, logger: o.logger });
  const tokens = new TokenManager({ store: tokenStore, endpoints, apps, logger: o.logger });
  // One client per app id, each with that app's tenant token and 50/s limiter.
  const clients = new AppClients({
    baseUrl: config.baseUrl,
    tokens,
    retry: coreRetry(config.retry),
    logger: o.logger,
    logSuccessAtInfo: true,
  });
  const queue = await openQueue<CardJob>(config.queueUrl, { name: "card_callbacks", logger: o.logger });
  const ledger: HandledLedger = config.ledgerUrl
    ? await PostgresHandledLedger.open(config.ledgerUrl)
    : new SqliteHandledLedger(`${config.stateDir}/core.db`);
  const sessions = new UserAuthStore(`${config.stateDir}/core.db`);
  const router = o.router ?? new CardRouter();
  const userAuth = new UserAuthService({
    store: sessions,
    apps,
    messages: (appId) => clients.messages(appId),
    httpFor: (appId) => clients.http(appId),
    endpoints,
    tokens,
    publicBaseUrl: config.publicUrl,
    accountsUrl: config.accountsUrl,
    logger: o.logger,
  });
  const service = createCoreService({
    queue,
    router,
    ledger,
    updater: new PatchCardUpdater((appId) => clients.http(appId)),
    callback: {
      appId: config.app.appId,
      encryptKey: config.encryptKey,
      verificationToken: config.verificationToken,
    },
    whenQueueDown: config.whenQueueDown,
    admin: config.adminToken
      ? {
        registry,
        token: config.adminToken,
        userAuth: {
          requestUserAuth: (appId, userId, options) => userAuth.requestUserAuth(appId, userId, options),
          session: (id) => sessions.get(id),
        },
      }
      : undefined,
    extraRoutes: (app) => registerUserAuthRoutes(app, userAuth),
    allowedHosts: allowedHosts(config),
    // Beyond loopback the counters need the admin token (none set → /metrics refused).
    metricsToken: LOOPBACK.includes(config.host) ? undefined : config.adminToken ?? "",
    logger: o.logger,
  });
  // Card callbacks over the long connection go to the same queue (no public URL needed).
  let ws: LongConnection | undefined;
  if (config.longConnection) {
    ws = new LongConnection({
      appId: config.app.appId,
      appSecret: config.app.appSecret,
      baseUrl: config.baseUrl,
      encryptKey: config.encryptKey,
      verificationToken: config.verificationToken,
      store: cardCallbackSink(queue, { appId: config.app.appId }),
      logger: o.logger,
    });
    await ws.start();
  }
  const sweep = setInterval(() => {
    userAuth.sweepExpired().catch((e) => o.logger.warn("user_auth.sweep_failed", { error: e }));
  }, 60_000);
  return {
    service,
    router,
    userAuth,
    tokens,
    clients,
    http: clients.http(config.app.appId),
    messages: clients.messages(config.app.appId),
    async close() {
      clearInterval(sweep);
      ws?.close();
      await service.stop();
      await queue.close();
      await ledger.close();
      sessions.close();
      registry.close();
      tokenStore.close();
    },
  };
}

const LOOPBACK = ["127.0.0.1", "localhost", "::1"];

/** Loopback names, the public URL's host, and the listen address when it is a specific one. */
function allowedHosts(config: CoreConfig): string[] {
  const hosts = new Set(LOOPBACK);
  hosts.add(new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, ""));
  if (!["0.0.0.0", "::"].includes(config.host)) hosts.add(config.host);
  return [...hosts];
}
