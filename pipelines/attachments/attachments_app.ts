/**
 * The program around the service: one job store, the settings jobs read, the
 * monitor the UI watches, and start/stop of the WebSocket service (the UI's
 * buttons). Output folder and token changes reach running jobs at once;
 * host and port changes need a restart (as upstream).
 *
 * @module
 */
import type { Logger } from "../../lib/log/mod.ts";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import type { JobStore } from "./job_store.ts";
import { Monitor } from "./monitor.ts";
import { AttachmentService } from "./service.ts";
import type { JobSettings } from "./settings.ts";
import type { UiLanguage } from "./ui_text.ts";
import type { UserSettings, UserSettingsFile } from "./user_settings.ts";

/** Options of {@linkcode AttachmentsApp}. */
export interface AttachmentsAppOptions {
  /** Address the WebSocket service listens on. */
  host: string;
  /** Port of the WebSocket service (0: any free one). */
  port: number;
  /** Settings jobs read while they run (the UI changes output folder and token). */
  settings: JobSettings;
  /** The job store. */
  store: JobStore;
  /** The token for clients without an Origin (and every client beyond loopback). */
  pairingToken: string;
  /** Extra origins allowed ahead of time, besides the plugin's own. */
  allowOrigins: readonly string[];
  /** Largest WebSocket frame accepted, bytes. */
  maxFrameBytes: number;
  /** WebSocket connections at once. */
  maxConnections: number;
  /** Where the service and its jobs log. */
  logger: Logger;
  /** Where the UI's changes are saved (none: not saved). */
  userSettings?: UserSettingsFile;
  /** Language of the UI (default `zh`). */
  language?: UiLanguage;
  /** Files the UI lists at most (default 1000). */
  fileDisplayLimit?: number;
}

/** Service lifecycle and settings. */
export class AttachmentsApp {
  /** The UI's view of the service and its current job. */
  readonly monitor = new Monitor();
  /** Settings jobs read while they run. */
  readonly settings: JobSettings;
  /** The job store. */
  readonly store: JobStore;
  /** Address the service listens on (a change takes effect on restart). */
  host: string;
  /** Port of the service (a change takes effect on restart). */
  port: number;
  /** Language of the UI. */
  language: UiLanguage;
  /** Files the UI lists at most (a change from the UI: 100..5000). */
  fileDisplayLimit: number;
  /** The WebSocket service, while it runs. */
  service?: AttachmentService;
  #o: AttachmentsAppOptions;
  #limiter = new RateLimiter();

  /** Create (not started). */
  constructor(o: AttachmentsAppOptions) {
    this.#o = o;
    this.settings = o.settings;
    this.store = o.store;
    this.host = o.host;
    this.port = o.port;
    this.language = o.language ?? "zh";
    this.fileDisplayLimit = o.fileDisplayLimit ?? 1000;
  }

  /** Whether the WebSocket service runs. */
  get running(): boolean {
    return !!this.service;
  }

  /** The pairing token. */
  get pairingToken(): string {
    return this.#o.pairingToken;
  }

  /** Start the WebSocket service (no-op when running). */
  async start(): Promise<void> {
    if (this.service) return;
    const service = new AttachmentService({
      host: this.host,
      port: this.port,
      settings: this.settings,
      store: this.store,
      pairingToken: this.#o.pairingToken,
      allowOrigins: this.#o.allowOrigins,
      maxFrameBytes: this.#o.maxFrameBytes,
      maxConnections: this.#o.maxConnections,
      logger: this.#o.logger,
      monitor: this.monitor,
      limiter: this.#limiter,
    });
    await service.start();
    this.service = service;
    this.#o.logger.info("attachments.service_started", { url: service.url });
  }

  /** Stop the WebSocket service (jobs keep their state). */
  async stop(): Promise<void> {
    const s = this.service;
    this.service = undefined;
    await s?.stop();
  }

  /** Change settings from the UI; saved (token sealed). Returns whether a restart is needed. */
  async update(patch: UserSettings): Promise<boolean> {
    let restart = false;
    if (patch.output) this.settings.output = patch.output;
    if (patch.personalBaseToken !== undefined) {
      this.settings.personalBaseToken = patch.personalBaseToken || undefined;
    }
    if (patch.language) this.language = patch.language;
    if (patch.fileDisplayLimit) this.fileDisplayLimit = Math.max(100, Math.min(5000, patch.fileDisplayLimit));
    if (patch.host && patch.host !== this.host) {
      this.host = patch.host;
      restart = true;
    }
    if (patch.port !== undefined && patch.port !== this.port) {
      this.port = patch.port;
      restart = true;
    }
    await this.#o.userSettings?.save({
      host: this.host,
      port: this.port,
      output: this.settings.output,
      language: this.language,
      fileDisplayLimit: this.fileDisplayLimit,
      personalBaseToken: this.settings.personalBaseToken,
    });
    this.monitor.changed();
    return restart && this.running;
  }
}
