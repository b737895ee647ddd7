import { CONTACT_BUCKETS, ContactApi } from "../../../lib/contact/contact_api.ts";
import { loadSecretBox } from "../../../lib/crypto/key_source.ts";
import type { SecretBox } from "../../../lib/crypto/secret_box.ts";
import { LarkHttp } from "../../../lib/http/lark_http.ts";
import { IM_BUCKETS, MessageApi } from "../../../lib/im/message_api.ts";
import { type Logger, silentLogger } from "../../../lib/log/logger.ts";
import { MINUTES_BUCKETS, MinutesApi } from "../../../lib/minutes/minutes_api.ts";
import { RateLimiter } from "../../../lib/rate_limit/rate_limiter.ts";
import { type Clock, systemClock } from "../../../lib/time/clock.ts";
import { LarkTokenEndpoints } from "../../../lib/token/lark_token_endpoints.ts";
import type { AppCredentials } from "../../../lib/token/token_endpoints.ts";
import { TokenManager } from "../../../lib/token/token_manager.ts";
import { closeTokenStore, openTokenStore } from "../../../lib/token/open_token_store.ts";
import { storeFile } from "../../../lib/token/store_setting.ts";
import type { TokenStore } from "../../../lib/token/token_store.ts";
import { RecordingApi, VC_BUCKETS } from "../../../lib/vc/recording_api.ts";
import { type MeetingConfig, meetingKeyFile, meetingTokenStore } from "../config.ts";
import { ensureParentDir } from "./_paths.ts";

/** Options of {@linkcode createMeetingClients}. */
export interface MeetingClientsOptions {
  /** `fetch` for every Feishu call (default the global one; tests may inject one). */
  fetch?: typeof fetch;
  /** Time source (default the system clock). */
  clock?: Clock;
  /** Logger (default silent); tokens and secrets are masked by the logger. */
  logger?: Logger;
  /**
   * Key that encrypts secrets at rest (default: `loadSecretBox` with env `FEISHU_KIT_KEY`,
   * else `state.key_file`, else `secret.key` beside the SQLite token store — beside
   * `state.token_db` for a PostgreSQL one — created on first use and reported by a WARN log line).
   */
  box?: SecretBox;
}

/** The Feishu clients of the archiver, wired from one config. */
export interface MeetingClients {
  /** The app's id and secret. */
  app: AppCredentials;
  /** Rate buckets shared by every call (VC, minutes 5/s, IM, contact). */
  limiter: RateLimiter;
  /** Token store of `state.token_store` (SQLite at `state.token_db` by default; encrypted with `box`). */
  tokenStore: TokenStore;
  /** Key that encrypts secrets at rest. */
  box: SecretBox;
  /** Token endpoints (tenant token, v2 OAuth code exchange and refresh). */
  endpoints: LarkTokenEndpoints;
  /** Tenant and user tokens of the app. */
  tokens: TokenManager;
  /** Open Platform client (`app.base_url`), the app's tenant token by default. */
  http: LarkHttp;
  /** VC recordings. */
  recordings: RecordingApi;
  /** Minutes info and media. */
  minutes: MinutesApi;
  /** IM sending (the app's bot), with Feishu's per-recipient 5/s. */
  messages: MessageApi;
  /** Contacts with tenant `user_id`s (the ids jobs and NAS folders use). */
  contacts: ContactApi;
  /** Contacts addressed by `open_id` (to learn the `user_id` of an event's owner). */
  contactsByOpenId: ContactApi;
  /** Close the token store (a PostgreSQL one's connections ended). */
  close(): Promise<void>;
}

/**
 * Build the limiter, token manager and API clients of the archiver from its
 * config: one app (`app.app_id` / `app.app_secret`), every call to
 * `app.base_url`, tokens kept in `state.token_store` (`postgres://…`), else in
 * SQLite at `state.token_db` (the folder of the SQLite file or key file is created).
 *
 * @example
 * ```ts
 * import type { Logger } from "../../../lib/log/logger.ts";
 * import type { MeetingConfig } from "../config.ts";
 *
 * declare const config: MeetingConfig, logger: Logger;
 * const clients = await createMeetingClients(config, { logger });
 * await clients.endpoints.fetchTenantToken(clients.app); // checks the credentials with Feishu (no cache)
 * await clients.close();
 * ```
 */
export async function createMeetingClients(
  config: MeetingConfig,
  options: MeetingClientsOptions = {},
): Promise<MeetingClients> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const app: AppCredentials = { appId: config.app.app_id, appSecret: config.app.app_secret };
  const limiter = new RateLimiter({
    clock,
    buckets: { ...VC_BUCKETS, ...MINUTES_BUCKETS, ...IM_BUCKETS, ...CONTACT_BUCKETS },
  });
  const store = meetingTokenStore(config);
  await ensureParentDir(storeFile(store) ?? config.state.token_db);
  const box = options.box ?? await loadSecretBox({
    keyFile: meetingKeyFile(config),
    onCreated: (path) => logger.warn("secret_key.created", { path }),
  });
  const tokenStore = openTokenStore(store, { box, clock, logger });
  const endpoints = new LarkTokenEndpoints({
    baseUrl: config.app.base_url,
    fetch: options.fetch,
    clock,
    logger,
  });
  const tokens = new TokenManager({
    store: tokenStore,
    endpoints,
    apps: (id) => (id === app.appId ? app : undefined),
    clock,
    logger,
  });
  const http = new LarkHttp({
    baseUrl: config.app.base_url,
    fetch: options.fetch,
    clock,
    logger,
    limiter,
    auth: tokens.tenantAuth(app.appId),
  });
  return {
    app,
    limiter,
    tokenStore,
    box,
    endpoints,
    tokens,
    http,
    recordings: new RecordingApi(http),
    minutes: new MinutesApi(http),
    messages: new MessageApi(http, { limiter }),
    contacts: new ContactApi(http, { userIdType: "user_id" }),
    contactsByOpenId: new ContactApi(http, { userIdType: "open_id" }),
    close: () => closeTokenStore(tokenStore),
  };
}
