/** Start, stop and health of the archiver's loops (not exported from the package). */
import { LongConnection } from "../../../lib/events/ws_adapter.ts";
import type { Logger } from "../../../lib/log/logger.ts";
import type { MeetingConfig } from "../config.ts";
import type { ServiceParts } from "./_service_parts.ts";
import type { MeetingServiceOptions } from "./meeting_service.ts";
import type { MeetingHealth } from "./status_routes.ts";

/** The loops of one service instance: worker, event processor, keep-alive, long connection. */
export class ServiceLifecycle {
  readonly #config: MeetingConfig;
  readonly #parts: ServiceParts;
  readonly #options: MeetingServiceOptions;
  readonly #log: Logger;
  #ctl: AbortController | undefined;
  #loops: Promise<unknown>[] = [];
  #connection: LongConnection | undefined;
  #stopping: Promise<void> | undefined;

  constructor(config: MeetingConfig, parts: ServiceParts, options: MeetingServiceOptions, log: Logger) {
    this.#config = config;
    this.#parts = parts;
    this.#options = options;
    this.#log = log;
  }

  /** The long connection, once started in `long_connection` mode. */
  get connection(): LongConnection | undefined {
    return this.#connection;
  }

  /** Health as `GET /healthz` answers it. */
  health = async (): Promise<MeetingHealth> => {
    const { jobs, events, worker, processor } = this.#parts;
    const mode = this.#config.events.mode;
    const running = this.#ctl !== undefined && !this.#ctl.signal.aborted;
    const c = this.#connection;
    const conn = c ? { state: c.state, stats: c.stats } : undefined;
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

  /** See `MeetingService.start`. */
  start = async (signal?: AbortSignal): Promise<void> => {
    if (this.#ctl) return;
    if (this.#stopping) throw new Error("meeting service already stopped; create a new one");
    signal?.throwIfAborted();
    const ctl = this.#ctl = new AbortController();
    signal?.addEventListener("abort", () => void this.stop(), { once: true });
    const { events, worker, processor, keepAlive, jobs } = this.#parts;
    const recovered = await events.recoverProcessing();
    this.#loops = [worker.run(ctl.signal), processor.run(ctl.signal), keepAlive.run(ctl.signal)];
    const mode = this.#config.events.mode;
    this.#log.info("meeting.service_started", { mode, recovered_events: recovered, jobs: jobs.counts() });
    if (mode === "long_connection") await this.#connect(ctl.signal);
  };

  /** See `MeetingService.stop`. */
  stop = (): Promise<void> => {
    this.#stopping ??= (async () => {
      this.#ctl?.abort(new DOMException("service stopping", "AbortError"));
      this.#connection?.close();
      await Promise.allSettled(this.#loops);
      await this.#parts.close();
      this.#log.info("meeting.service_stopped", {});
    })();
    return this.#stopping;
  };

  async #connect(signal: AbortSignal): Promise<void> {
    const app = this.#parts.clients.app;
    const config = this.#config;
    this.#connection = new LongConnection({
      ...this.#options.longConnection,
      appId: app.appId,
      appSecret: app.appSecret,
      store: this.#parts.events,
      baseUrl: config.app.base_url,
      encryptKey: config.app.encrypt_key || undefined,
      verificationToken: config.app.verification_token || undefined,
      logger: this.#log,
      onStored: () => this.#parts.processor.wake(),
      fetch: this.#options.fetch,
      signal,
    });
    try {
      await this.#connection.start();
    } catch (e) {
      await this.stop();
      throw e;
    }
  }
}

function emptyStats() {
  return { received: 0, stored: 0, replays: 0, rejected: 0, reconnects: 0 };
}
