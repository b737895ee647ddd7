/** The archiver's stores, ports, worker and loops, wired from the config (not exported from the package). */
import { ContactCache } from "../../../lib/contact/contact_cache.ts";
import { SqliteEventStore } from "../../../lib/events/event_store_sqlite.ts";
import type { Logger } from "../../../lib/log/logger.ts";
import type { Clock } from "../../../lib/time/clock.ts";
import { UserAuthService, UserAuthStore } from "../../../lib/user_auth/mod.ts";
import type { MeetingConfig } from "../config.ts";
import { loadFolderMapping } from "../folder_mapping.ts";
import { JobStore } from "../job_store.ts";
import { meetingWorkerSettings } from "../settings.ts";
import { MeetingWorker } from "../worker.ts";
import { ensureParentDir, joinUrl } from "./_paths.ts";
import { AUTH_START_PATH } from "./auth_routes.ts";
import { CardNotifier } from "./card_notifier.ts";
import { ContactDirectory } from "./contact_directory.ts";
import { EventProcessor } from "./event_processor.ts";
import { FileDownloader } from "./file_downloader.ts";
import { TokenKeepAlive } from "./keep_alive.ts";
import { createMeetingClients, type MeetingClients } from "./meeting_clients.ts";
import type { MeetingServiceOptions } from "./meeting_service.ts";
import { LarkMinutesSource } from "./minutes_source.ts";
import { OwnerResolver } from "./owner_resolver.ts";
import { LarkRecordingSource } from "./recording_source.ts";
import { TokenUserAuth } from "./token_user_auth.ts";

/** Everything the service runs on. */
export interface ServiceParts {
  clients: MeetingClients;
  jobs: JobStore;
  events: SqliteEventStore;
  /** User-authorization sessions (in `state.db`). */
  sessions: UserAuthStore;
  /** The core's user authorization for the app (`/auth/start`, `/auth/callback`). */
  userAuth: UserAuthService;
  worker: MeetingWorker;
  processor: EventProcessor;
  keepAlive: TokenKeepAlive;
  /** `{public_base_url}/auth/start`. */
  authStartUrl: string;
  /** Close every store (idempotent). */
  close(): Promise<void>;
}

/** Open the stores in `state.db`, build the Feishu clients and the port adapters, the worker and the loops. */
export async function wireServiceParts(
  config: MeetingConfig,
  options: MeetingServiceOptions,
  clock: Clock,
  log: Logger,
): Promise<ServiceParts> {
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
  const sessions = new UserAuthStore(config.state.db, { clock });
  const userAuth = new UserAuthService({
    store: sessions,
    apps: (id) => (id === creds.appId ? creds : undefined),
    appName: () => "会议录制自动归档",
    messages: () => clients.messages,
    httpFor: () => clients.http,
    endpoints: clients.endpoints,
    tokens,
    publicBaseUrl: config.server.public_base_url,
    accountsUrl: config.app.accounts_url,
    scopes: config.oauth.scopes,
    ttlMs: config.oauth.state_ttl_seconds * 1000,
    logger: log,
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
    maxAttempts: config.events.max_attempts,
    pollIntervalMs: options.pollIntervalMs,
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
  const close = async () => {
    for (const store of [events, jobs, sessions, contactCache]) {
      try {
        store.close();
      } catch { /* already closed */ }
    }
    await clients.close().catch(() => {/* already closed */});
  };
  return { clients, jobs, events, sessions, userAuth, worker, processor, keepAlive, authStartUrl, close };
}
