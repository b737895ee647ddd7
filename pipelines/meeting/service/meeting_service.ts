import type { SqliteEventStore } from "../../../lib/events/event_store_sqlite.ts";
import type { LongConnection, LongConnectionOptions } from "../../../lib/events/ws_adapter.ts";
import type { SecretBox } from "../../../lib/crypto/secret_box.ts";
import { type Logger, silentLogger } from "../../../lib/log/logger.ts";
import { type Clock, systemClock } from "../../../lib/time/clock.ts";
import type { MeetingConfig } from "../config.ts";
import type { JobStore } from "../job_store.ts";
import type { MeetingWorker, MeetingWorkerOptions } from "../worker.ts";
import { buildServiceApp } from "./_service_app.ts";
import { ServiceLifecycle } from "./_service_lifecycle.ts";
import { wireServiceParts } from "./_service_parts.ts";
import type { AccessPolicy } from "./access_policy.ts";
import type { EventProcessor } from "./event_processor.ts";
import type { FileDownloaderOptions } from "./file_downloader.ts";
import type { MeetingClients } from "./meeting_clients.ts";
import type { MeetingHttpApp } from "./meeting_routes.ts";
import { securityPreflight } from "./security_preflight.ts";
import type { MeetingHealth } from "./status_routes.ts";

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
  /** Called once with a newly generated admin token (exposed services); show it, it is never logged. */
  onAdminTokenCreated?: (token: string) => void;
  /** Environment reader for the at-rest key `FEISHU_KIT_KEY` (default `Deno.env.get`). */
  getEnv?: (name: string) => string | undefined;
  /** Long-connection tuning (the adapter's defaults apply). */
  longConnection?: Pick<LongConnectionOptions, "pingTimeoutSec" | "handshakeTimeoutMs" | "restartDelayMs">;
}

/** The running archiver: its HTTP app and its loops. */
export interface MeetingService {
  /** The HTTP app (a Hono app): webhook, OAuth pages, health and status. */
  readonly app: MeetingHttpApp;
  /** `app.fetch`, for `Deno.serve`. */
  readonly fetch: (request: Request) => Response | Promise<Response>;
  /** The validated config it runs with. */
  readonly config: MeetingConfig;
  /** Hosts, origins and the admin token it enforces. */
  readonly policy: AccessPolicy;
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
 * Wire the meeting recording archiver from its config, in four steps: the
 * security preflight (webhook mode needs the Verification Token; a service
 * reachable beyond loopback needs the admin token, generated on the first
 * start), the parts — Feishu clients (one app), the SQLite stores in `state.db` (jobs, events, user-authorization
 * sessions of lib/user_auth, contact cache) and `state.token_db` (tokens), the port adapters, the worker, the
 * event processor, the keep-alive timer — their lifecycle, and the HTTP app
 * behind its front door (host allow-list, origin check, admin token):
 *
 * - `POST /webhook/event`: signature, decryption, challenge; stored durably, answered at once
 *   (served in both modes; in `long_connection` mode Feishu simply sends nothing there);
 * - `GET /auth/start`, `GET /auth/callback`: user authorization (lib/user_auth's browser login), then back-fill;
 * - `GET /healthz`, `GET /` and `GET /status`, `POST /jobs/:id/retry` (admin token once exposed),
 *   `GET`/`POST /login` (the browser's way to present the admin token).
 *
 * Nothing runs until {@linkcode MeetingService.start}; serve `fetch` with `Deno.serve`.
 *
 * @example
 * ```ts
 * import { serveGuarded } from "../../../lib/http/serve_guarded.ts";
 * import type { Logger } from "../../../lib/log/logger.ts";
 * import type { MeetingConfig } from "../config.ts";
 *
 * declare const config: MeetingConfig, logger: Logger;
 * const stop = new AbortController(); // aborted on SIGINT
 * const service = await createMeetingService(config, { logger });
 * await service.start(stop.signal);
 * const { host, port } = config.server;
 * const server = serveGuarded({ hostname: host, port, signal: stop.signal }, service.fetch);
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
  const policy = await securityPreflight(config, { ...options, logger: log });
  const parts = await wireServiceParts(config, options, clock, log);
  const life = new ServiceLifecycle(config, parts, options, log);
  const app = buildServiceApp(config, parts, { policy, health: life.health, clock, logger: log });
  return {
    app,
    fetch: (request: Request) => app.fetch(request),
    config,
    policy,
    clients: parts.clients,
    jobs: parts.jobs,
    events: parts.events,
    worker: parts.worker,
    processor: parts.processor,
    get connection() {
      return life.connection;
    },
    health: life.health,
    start: life.start,
    stop: life.stop,
  };
}
