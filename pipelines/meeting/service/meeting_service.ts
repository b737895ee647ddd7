import { Hono } from "hono";
import { ContactCache } from "../../../lib/contact/contact_cache.ts";
import type { SecretBox } from "../../../lib/crypto/secret_box.ts";
import { SqliteEventStore } from "../../../lib/events/event_store_sqlite.ts";
import { LongConnection, type LongConnectionOptions } from "../../../lib/events/ws_adapter.ts";
import { type Logger, silentLogger } from "../../../lib/log/logger.ts";
import { OAuthStateStore } from "../../../lib/oauth/state_store.ts";
import { type Clock, systemClock } from "../../../lib/time/clock.ts";
import type { MeetingConfig } from "../config.ts";
import { loadFolderMapping } from "../folder_mapping.ts";
import { JobStore } from "../job_store.ts";
import { meetingWorkerSettings } from "../settings.ts";
import { MeetingWorker, type MeetingWorkerOptions } from "../worker.ts";
import { ensureParentDir, joinUrl } from "./_paths.ts";
import { AUTH_START_PATH, registerAuthRoutes } from "./auth_routes.ts";
import { CardNotifier } from "./card_notifier.ts";
import { ContactDirectory } from "./contact_directory.ts";
import { EventProcessor } from "./event_processor.ts";
import { FileDownloader, type FileDownloaderOptions } from "./file_downloader.ts";
import { TokenKeepAlive } from "./keep_alive.ts";
import { createMeetingClients, type MeetingClients } from "./meeting_clients.ts";
import { LarkMinutesSource } from "./minutes_source.ts";
import { OwnerResolver } from "./owner_resolver.ts";
import { LarkRecordingSource } from "./recording_source.ts";
import { type MeetingHealth, registerStatusRoutes } from "./status_routes.ts";
import { TokenUserAuth } from "./token_user_auth.ts";
import { registerWebhookRoute } from "./webhook_route.ts";

/** Options of {@linkcode createMeetingService}. */
export interface MeetingServiceOptions {
  /** `fetch` for every outgoing call (default the global one). */
  fetch?: typeof fetch;
  /** Time source for every loop, store and token (default the system clock). */
  clock?: Clock;
  /** Logger (NDJSON in the script; secrets are masked by the logger). */
  logger?: Logger;
  /** Key that encrypts secrets at rest (default: loaded as `createMeetingClients` does). */
  box?: SecretBox;
  /** Personal folder mapping (default: read from `nas.mapping_file` when it is set). */
  mapping?: ReadonlyMap<string, string>;
  /** Longest idle wait of the worker and event loops, ms (default 1000; new work wakes them at once). */
  pollIntervalMs?: number;
  /** Time between token keep-alive rounds, ms (default 1 h; the first round runs at start). */
  keepAliveIntervalMs?: number;
  /** Download tuning (`downloadFile`'s defaults apply). */
  download?: Omit<FileDownloaderOptions, "fetch" | "clock" | "logger">;
  /** Worker tuning (lease, step attempts, retry base; the worker's defaults apply). */
  worker?: Pick<MeetingWorkerOptions, "leaseMs" | "maxStepAttempts" | "retryBaseMs">;
  /** Long-connection tuning (the adapter's defaults apply). */
  longConnection?: Pick<LongConnectionOptions, "pingTimeoutSec" | "handshakeTimeoutMs" | "restartDelayMs">;
}

/** The running archiver: its HTTP app and its loops. */
export interface MeetingService {
  /** The Hono app: webhook, OAuth pages, health and status. */
  readonly app: Hono;
  /** `app.fetch`, for `Deno.serve`. */
  readonly fetch: (request: Request) => Response | Promise<Response>;
  /** The validated config it runs with. */
  readonly config: MeetingConfig;
  /** The Feishu clients and the token manager. */
  readonly clients: MeetingClients;
  /** The job store (`state.db`). */
  readonly jobs: JobStore;
  /** The durable event store (`state.db`). */
  readonly events: SqliteEventStore;
  /** The job runner. */
  readonly worker: MeetingWorker;
  /** Stored events → jobs. */
  readonly processor: EventProcessor;
  /** The long connection, once started in `long_connection` mode. */
  readonly connection: LongConnection | undefined;
  /** Health as `GET /healthz` answers it. */
  health(): Promise<MeetingHealth>;
  /**
   * Start the worker, the event processor, the token keep-alive and, in
   * `long_connection` mode, the long connection (resolves once it is up;
   * rejects with a `ConfigError` when Feishu refuses it). Aborting `signal`
   * is the same as {@linkcode MeetingService.stop}.
   */
  start(signal?: AbortSignal): Promise<void>;
  /**
   * Stop: no new work, running jobs cancelled with their state kept (a
   * restart resumes them; a download continues from its `.part`), then the
   * databases closed. Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Wire the meeting recording archiver from its config: Feishu clients (one
 * app), the SQLite stores in `state.db` (jobs, events, OAuth states, contact
 * cache) and `state.token_db` (tokens), the port adapters, the worker, the
 * event processor, the keep-alive timer and the HTTP app:
 *
 * - `POST /webhook/event`: signature, decryption, challenge; stored durably, answered at once
 *   (served in both modes; in `long_connection` mode Feishu simply sends nothing there);
 * - `GET /auth/start`, `GET /auth/callback`: user authorization, then back-fill;
 * - `GET /healthz`, `GET /` and `GET /status`, `POST /jobs/:id/retry`.
 *
 * Nothing runs until {@linkcode MeetingService.start}; serve `fetch` with `Deno.serve`.
 *
 * @example
 * ```ts
 * const service = await createMeetingService(config, { logger });
 * await service.start(signal);
 * const server = Deno.serve({ hostname: config.server.host, port: config.server.port, signal }, service.fetch);
 * await server.finished;
 * await service.stop();
 * ```
 */
export async function createMeetingService(
  config: MeetingConfig,
  options: MeetingServiceOptions = {},
): Promise<MeetingService> {
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? silentLogger;
  const mapping = options.mapping ??
    (config.nas.mapping_file ? await loadFolderMapping(config.nas.mapping_file) : undefined);
  await ensureParentDir(config.state.db);
  const clients = await createMeetingClients(config, {
    fetch: options.fetch,
    clock,
    logger: log,
    box: options.box,
  });
  const { app: creds, tokens } = clients;
  const jobs = new JobStore(config.state.db, { clock });
  const events = new SqliteEventStore(config.state.db, { clock, maxAttempts: config.events.max_attempts });
  const states = new OAuthStateStore(config.state.db, {
    clock,
    ttlMs: config.oauth.state_ttl_seconds * 1000,
  });
  const contactCache = new ContactCache({
    path: config.state.db,
    appId: creds.appId,
    api: clients.contacts,
    ttlMs: config.contact.cache_ttl_hours * 3_600_000,
    clock,
    logger: log,
  });
  const authStartUrl = joinUrl(config.server.public_base_url, AUTH_START_PATH);
  const worker = new MeetingWorker({
    ...meetingWorkerSettings(config, mapping),
    ...options.worker,
    store: jobs,
    recordings: new LarkRecordingSource({ api: clients.recordings, tokens, appId: creds.appId }),
    minutes: new LarkMinutesSource({ api: clients.minutes, tokens, appId: creds.appId }),
    downloader: new FileDownloader({ ...options.download, fetch: options.fetch, clock, logger: log }),
    directory: new ContactDirectory(contactCache),
    notifier: new CardNotifier({
      messages: clients.messages,
      authStartUrl,
      timeZone: config.naming.time_zone,
    }),
    auth: new TokenUserAuth(tokens, creds.appId),
    pollIntervalMs: options.pollIntervalMs,
    clock,
    logger: log,
  });
  const owners = new OwnerResolver({ contacts: clients.contactsByOpenId });
  const processor = new EventProcessor({
    events,
    worker,
    resolveUserId: (m, signal) => owners.userId(m.owner, signal),
    pollIntervalMs: options.pollIntervalMs,
    maxAttempts: config.events.max_attempts,
    clock,
    logger: log,
  });
  const keepAlive = new TokenKeepAlive({
    tokens,
    appId: creds.appId,
    intervalMs: options.keepAliveIntervalMs,
    clock,
    logger: log,
  });

  let ctl: AbortController | undefined;
  let loops: Promise<unknown>[] = [];
  let connection: LongConnection | undefined;
  let stopping: Promise<void> | undefined;
  const mode = config.events.mode;

  const health = async (): Promise<MeetingHealth> => {
    const running = ctl !== undefined && !ctl.signal.aborted;
    const conn = connection ? { state: connection.state, stats: connection.stats } : undefined;
    const processorHealth = processor.health();
    const connected = mode === "webhook" || conn?.state === "connected";
    const reason = !running ? "服务未运行。" : !connected ? "长连接未连接。" : processorHealth.reason;
    return {
      ok: running && connected && processorHealth.ok,
      reason,
      mode,
      running,
      connection: mode === "long_connection" ? conn ?? { state: "idle", stats: emptyStats() } : undefined,
      activeJobs: worker.active,
      jobs: jobs.counts(),
      events: await events.counts(),
      processor: processor.stats,
      processorHealth,
    };
  };

  const app = new Hono();
  app.onError((e, c) => {
    log.error("http.error", { path: new URL(c.req.url).pathname, error: e });
    return c.json({ error: "internal_error", message: "服务内部错误，详情见日志。" }, 500);
  });
  app.notFound((c) => c.text("页面不存在。", 404));
  registerWebhookRoute(app, {
    events,
    encryptKey: config.app.encrypt_key,
    verificationToken: config.app.verification_token,
    onStored: () => processor.wake(),
    logger: log,
  });
  registerAuthRoutes(app, {
    app: creds,
    accountsUrl: config.app.accounts_url,
    publicBaseUrl: config.server.public_base_url,
    scopes: config.oauth.scopes,
    states,
    endpoints: clients.endpoints,
    tokens,
    http: clients.http,
    worker,
    logger: log,
  });
  registerStatusRoutes(app, {
    health,
    jobs,
    worker,
    timeZone: config.naming.time_zone,
    authStartUrl,
  });

  const closeStores = () => {
    for (const store of [events, jobs, states, contactCache, clients]) {
      try {
        store.close();
      } catch { /* already closed */ }
    }
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      ctl?.abort(new DOMException("service stopping", "AbortError"));
      connection?.close();
      await Promise.allSettled(loops);
      closeStores();
      log.info("meeting.service_stopped", {});
    })();
    return stopping;
  };

  const start = async (signal?: AbortSignal): Promise<void> => {
    if (ctl) return;
    if (stopping) throw new Error("meeting service already stopped; create a new one");
    signal?.throwIfAborted();
    ctl = new AbortController();
    signal?.addEventListener("abort", () => void stop(), { once: true });
    const recovered = await events.recoverProcessing();
    const s = ctl.signal;
    loops = [worker.run(s), processor.run(s), keepAlive.run(s)];
    log.info("meeting.service_started", { mode, recovered_events: recovered, jobs: jobs.counts() });
    if (mode !== "long_connection") return;
    connection = new LongConnection({
      ...options.longConnection,
      appId: creds.appId,
      appSecret: creds.appSecret,
      store: events,
      baseUrl: config.app.base_url,
      encryptKey: config.app.encrypt_key || undefined,
      verificationToken: config.app.verification_token || undefined,
      logger: log,
      onStored: () => processor.wake(),
      fetch: options.fetch,
      signal: s,
    });
    try {
      await connection.start();
    } catch (e) {
      await stop();
      throw e;
    }
  };

  return {
    app,
    fetch: (request: Request) => app.fetch(request),
    config,
    clients,
    jobs,
    events,
    worker,
    processor,
    get connection() {
      return connection;
    },
    health,
    start,
    stop,
  };
}

function emptyStats() {
  return { received: 0, stored: 0, replays: 0, rejected: 0, reconnects: 0 };
}
