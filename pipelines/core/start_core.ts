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
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { MessageApi } from "../../lib/im/message_api.ts";
import type { Logger } from "../../lib/log/logger.ts";
import { openQueue } from "../../lib/queue/open_queue.ts";
import { RateLimiter } from "../../lib/rate_limit/rate_limiter.ts";
import { LarkTokenEndpoints } from "../../lib/token/lark_token_endpoints.ts";
import { SqliteTokenStore } from "../../lib/token/token_store_sqlite.ts";
import { TokenManager } from "../../lib/token/token_manager.ts";
import { registerUserAuthRoutes, UserAuthService, UserAuthStore } from "../../lib/user_auth/mod.ts";
import { openAppRegistry } from "../../lib/registry/open_app_registry.ts";
import { registryAppResolver } from "../../lib/registry/registry_app_resolver.ts";
import type { CoreConfig } from "./config.ts";
import { type CoreService, createCoreService } from "./core_service.ts";
import { CORE_RETRY } from "./core_retry.ts";

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
  /** The app's client. */
  http: LarkHttp;
  /** The app's messaging. */
  messages: MessageApi;
  /** Stop workers and sweeps, close stores. */
  close(): Promise<void>;
}

/**
 * Wire the core from its config: tokens in SQLite (encrypted with the key
 * from `FEISHU_KIT_KEY` or `<stateDir>/secret.key`), the HTTP client with the
 * spec's retry schedule (1 s, 2 s, 4 s), the queue by URL, the card worker,
 * user authorization (sessions swept every minute) and the admin API.
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
  const tokens = new TokenManager({
    store: new SqliteTokenStore(`${config.stateDir}/tokens.db`, { box, logger: o.logger }),
    endpoints,
    apps,
    logger: o.logger,
  });
  const http = new LarkHttp({
    baseUrl: config.baseUrl,
    auth: tokens.tenantAuth(config.app.appId),
    limiter: new RateLimiter({ buckets: { global: { perSecond: 50 } } }),
    retry: CORE_RETRY,
    logger: o.logger,
    logSuccessAtInfo: true,
  });
  const messages = new MessageApi(http);
  const queue = await openQueue<CardJob>(
    config.queueUrl.startsWith("sqlite://") ? config.queueUrl : config.queueUrl,
    {
      name: "card_callbacks",
      logger: o.logger,
    },
  );
  const ledger: HandledLedger = config.ledgerUrl
    ? await PostgresHandledLedger.open(config.ledgerUrl)
    : new SqliteHandledLedger(`${config.stateDir}/core.db`);
  const sessions = new UserAuthStore(`${config.stateDir}/core.db`);
  const router = o.router ?? new CardRouter();
  const userAuth = new UserAuthService({
    store: sessions,
    apps,
    messages: () => messages,
    httpFor: () => http,
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
    updater: new PatchCardUpdater(() => http),
    callback: {
      appId: config.app.appId,
      encryptKey: config.encryptKey,
      verificationToken: config.verificationToken,
    },
    whenQueueDown: config.whenQueueDown,
    admin: config.adminToken ? { registry, token: config.adminToken } : undefined,
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
    http,
    messages,
    async close() {
      clearInterval(sweep);
      ws?.close();
      await service.stop();
      await queue.close();
      await ledger.close();
      sessions.close();
      registry.close();
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
