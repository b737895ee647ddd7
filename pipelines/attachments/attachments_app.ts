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
  host: string;
  port: number;
  settings: JobSettings;
  store: JobStore;
  pairingToken: string;
  allowOrigins: readonly string[];
  maxFrameBytes: number;
  maxConnections: number;
  logger: Logger;
  userSettings?: UserSettingsFile;
  language?: UiLanguage;
  fileDisplayLimit?: number;
}

/** Service lifecycle and settings. */
export class AttachmentsApp {
  readonly monitor = new Monitor();
  readonly settings: JobSettings;
  readonly store: JobStore;
  host: string;
  port: number;
  language: UiLanguage;
  fileDisplayLimit: number;
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
