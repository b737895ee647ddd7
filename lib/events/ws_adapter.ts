/**
 * The one file that touches the official SDK (`npm:@larksuiteoapi/node-sdk`):
 * its `WSClient` keeps the long connection (endpoint discovery, protobuf
 * frames, pings, fragment reassembly, acks); we feed what it receives into the
 * same durable store as the webhook.
 */
import { ConfigError } from "../errors/config_error.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { EventRejectedError } from "./event_error.ts";
import type { EventSink } from "./event_store.ts";
import type { LarkEvent } from "./lark_event.ts";
import { parseEvent } from "./parse_event.ts";
import { discoveryHttp, type DiscoveryInfo, sdkLogger } from "./_ws_glue.ts";

/**
 * The SDK, loaded on first use only (it is large). The specifier is a constant
 * rather than a literal so the SDK's Node typings (which retype `setTimeout`
 * and friends for the whole program) stay out of every program importing
 * this module; {@linkcode SdkWsClient} lists the part we use.
 */
const SDK_SPECIFIER = "npm:@larksuiteoapi/node-sdk@1.74.0";

/** The part of the SDK's `WSClient` this adapter uses. */
interface SdkWsClient {
  start(params: { eventDispatcher: { invoke(data: unknown): Promise<unknown> } }): Promise<void>;
  close(params?: { force?: boolean }): void;
  getConnectionStatus(): { state: LongConnectionState };
}

/** The SDK module's shape, as far as we use it. */
interface SdkModule {
  WSClient: new (params: Record<string, unknown>) => SdkWsClient;
}

/** Options of {@linkcode LongConnection}. */
export interface LongConnectionOptions {
  /** App id; the SDK requires the real shape `cli_` + 16 hex digits. */
  appId: string;
  /** App secret (sent only to `{baseUrl}/callback/ws/endpoint`). */
  appSecret: string;
  /** Durable store the events go to (e.g. `SqliteEventStore`). */
  store: EventSink;
  /** Origin serving `/callback/ws/endpoint` (default `https://open.feishu.cn`; the sandbox's URL in tests). */
  baseUrl?: string;
  /** Encrypt Key, used only if a payload arrives as `{"encrypt": …}` (Feishu sends plaintext here). */
  encryptKey?: string;
  /** Verification Token: when set, every event's token must match. */
  verificationToken?: string;
  /**
   * Dead-socket watchdog, seconds: no pong (or event) for the server's ping
   * interval plus this long means the socket is dead and it is replaced
   * (default 30; 0 turns it off).
   */
  pingTimeoutSec?: number;
  /** Give up a WebSocket handshake after this many ms and retry (default 15 000). */
  handshakeTimeoutMs?: number;
  /** After the SDK gives up for a transient reason, start again after this many ms (default 30 000). */
  restartDelayMs?: number;
  /** Logger (event ids and types, connection changes; never payloads or secrets). */
  logger?: Logger;
  /** Called (not awaited) after a new event is stored, e.g. to wake the worker. */
  onStored?: (event: LarkEvent) => void;
  /** `fetch` used for endpoint discovery (default the global one). */
  fetch?: typeof fetch;
  /** Closes the connection when aborted. */
  signal?: AbortSignal;
}

/** Counters of a {@linkcode LongConnection}. */
export interface LongConnectionStats {
  /** Event payloads received. */
  received: number;
  /** New events stored. */
  stored: number;
  /** Replays (known event ids) acknowledged and ignored. */
  replays: number;
  /** Payloads refused (bad token, undecryptable, unknown shape). */
  rejected: number;
  /** Successful reconnects. */
  reconnects: number;
}

/** Connection state, as the SDK reports it. */
export type LongConnectionState = "idle" | "connecting" | "connected" | "reconnecting" | "failed";

const APP_ID = /^cli_[0-9a-fA-F]{16}$/;

/**
 * Long-connection ("长连接") event intake: no public URL needed. Wraps the
 * official SDK's `WSClient` with a fetch-based endpoint discovery, a
 * dead-socket watchdog on by default, and a restart when the SDK gives up on
 * a transient error. Each event is parsed like a webhook event, stored
 * durably, and only then acknowledged (a store failure answers 500, so Feishu
 * delivers it again).
 *
 * @example
 * ```ts
 * import type { Logger } from "../log/logger.ts";
 * import type { EventSink } from "./event_store.ts";
 *
 * declare const appId: string, appSecret: string, store: EventSink, logger: Logger;
 * const conn = new LongConnection({ appId, appSecret, store, logger });
 * await conn.start(); // resolves once connected
 * // … conn.close() on shutdown
 * ```
 */
export class LongConnection {
  #o: LongConnectionOptions;
  #log: Logger;
  #client?: SdkWsClient;
  #closed = false;
  #restartTimer?: ReturnType<typeof setTimeout>;
  #watchdog?: ReturnType<typeof setInterval>;
  #discovery: DiscoveryInfo = {};
  /** Last sign of life (pong, event, connect), ms; 0 = none yet on this socket. */
  #lastInbound = 0;
  #everReady = false;
  #dispatcher = { invoke: (data: unknown) => this.#receive(data) };
  #stats: LongConnectionStats = { received: 0, stored: 0, replays: 0, rejected: 0, reconnects: 0 };

  /** Create the adapter; nothing connects before {@linkcode LongConnection.start}. */
  constructor(options: LongConnectionOptions) {
    if (!APP_ID.test(options.appId)) {
      throw new ConfigError(`invalid app id for the long connection: ${options.appId}`, {
        hint: "长连接模式需要真实格式的 App ID（cli_ 加 16 位十六进制）：请核对配置中的 APP_ID。",
      });
    }
    if (!options.appSecret) {
      throw new ConfigError("missing app secret", {
        hint: "长连接模式需要 App Secret：请设置环境变量 APP_SECRET。",
      });
    }
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
    options.signal?.addEventListener("abort", () => this.close(), { once: true });
  }

  /** Counters so far. */
  get stats(): LongConnectionStats {
    return { ...this.#stats };
  }

  /** Current connection state. */
  get state(): LongConnectionState {
    if (this.#closed) return "idle";
    return this.#client?.getConnectionStatus().state ?? "idle";
  }

  /**
   * Connect (a second call while started does nothing). Resolves once the
   * first connection is up; rejects with a
   * `ConfigError` when Feishu refuses the credentials (or the endpoint says the
   * app cannot use the long connection), or with the signal's reason.
   */
  async start(): Promise<void> {
    this.#o.signal?.throwIfAborted();
    if (this.#client) return; // already started
    this.#closed = false;
    const { WSClient } = await import(SDK_SPECIFIER) as SdkModule;
    return await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      };
      this.#o.signal?.addEventListener("abort", () => settle(this.#o.signal?.reason), { once: true });
      const client = new WSClient({
        appId: this.#o.appId,
        appSecret: this.#o.appSecret,
        domain: (this.#o.baseUrl ?? "https://open.feishu.cn").replace(/\/+$/, ""),
        logger: sdkLogger(this.#log, (line) => this.#onTrace(line)),
        loggerLevel: 5, // trace: the only public signal of a pong
        httpInstance: discoveryHttp(this.#o.fetch ?? fetch, this.#discovery),
        handshakeTimeoutMs: this.#o.handshakeTimeoutMs ?? 15_000,
        // The SDK's own watchdog too; it only fires when its timeout is shorter than the ping interval.
        wsConfig: { pingTimeout: this.#o.pingTimeoutSec ?? 30 },
        onReady: () => {
          this.#lastInbound = Date.now();
          // After a watchdog restart the SDK reports "ready" again: that is a reconnect.
          if (this.#everReady) this.#stats.reconnects++;
          this.#everReady = true;
          this.#log.info("ws.connected", { app_id: this.#o.appId });
          settle();
        },
        onReconnecting: () => this.#log.warn("ws.reconnecting", { app_id: this.#o.appId }),
        onReconnected: () => {
          this.#lastInbound = Date.now();
          this.#stats.reconnects++;
          this.#log.info("ws.reconnected", { app_id: this.#o.appId });
        },
        onError: (err: Error) => this.#onSdkError(err, settled, settle),
      });
      this.#client = client;
      this.#startWatchdog();
      client.start({ eventDispatcher: this.#dispatcher }).catch(settle);
    });
  }

  /** Close the connection and stop reconnecting. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#restartTimer);
    clearInterval(this.#watchdog);
    this.#watchdog = undefined;
    this.#lastInbound = 0;
    this.#client?.close({ force: true });
    this.#client = undefined;
  }

  #onSdkError(err: Error, started: boolean, settle: (e?: unknown) => void): void {
    const message = err.message;
    const fatal = /code=(403|514|1000040344|1000040350)\b/.test(message);
    this.#log.warn("ws.failed", { app_id: this.#o.appId, message, fatal });
    if (fatal || this.#closed) {
      this.close(); // a later start() begins afresh
      settle(
        new ConfigError(message, {
          hint:
            "长连接建立失败：请核对 APP_ID / APP_SECRET，并在开发者后台「事件与回调」选择「使用长连接接收事件」（仅企业自建应用可用）。",
        }),
      );
      return;
    }
    // Transient (busy, retries exhausted): start over later rather than stay down for good.
    const wait = this.#o.restartDelayMs ?? 30_000;
    this.#restartTimer = setTimeout(() => {
      if (this.#closed || !this.#client) return;
      this.#log.info("ws.restart", { app_id: this.#o.appId });
      this.#client.start({ eventDispatcher: this.#dispatcher }).catch(() => {});
    }, wait);
    if (!started) this.#log.warn("ws.first_connect_pending", { retry_in_ms: wait });
  }

  #onTrace(line: string): void {
    if (/receive pong/.test(line)) this.#lastInbound = Date.now();
  }

  /**
   * Our own dead-socket check, independent of the SDK's (which re-arms on
   * every ping and so never fires when its timeout is longer than the ping
   * interval): no sign of life for ping interval + timeout while "connected"
   * → close and start again (endpoint discovery included). Pongs are noticed
   * through the SDK's trace log line "receive pong" of the pinned SDK version
   * (a test checks that a healthy connection is never restarted).
   */
  #startWatchdog(): void {
    const timeoutMs = (this.#o.pingTimeoutSec ?? 30) * 1000;
    if (timeoutMs <= 0 || this.#watchdog) return;
    this.#watchdog = setInterval(() => {
      const client = this.#client;
      if (this.#closed || !client || this.#lastInbound === 0) return;
      if (client.getConnectionStatus().state !== "connected") return;
      const limit = (this.#discovery.pingIntervalMs ?? 120_000) + timeoutMs;
      const silentMs = Date.now() - this.#lastInbound;
      if (silentMs <= limit) return;
      this.#log.warn("ws.dead_socket", { app_id: this.#o.appId, silent_ms: silentMs });
      this.#lastInbound = 0;
      client.close({ force: true });
      client.start({ eventDispatcher: this.#dispatcher }).catch(() => {});
    }, Math.max(100, Math.min(5000, timeoutMs / 4)));
  }

  /** One reassembled payload: store it, then let the SDK acknowledge (throw → code 500 → redelivery). */
  async #receive(data: unknown): Promise<undefined> {
    this.#lastInbound = Date.now();
    this.#stats.received++;
    let event: LarkEvent;
    try {
      const parsed = await parseEvent(data, this.#o);
      if (parsed.type !== "event") return undefined;
      event = parsed.event;
    } catch (e) {
      this.#stats.rejected++;
      const reason = e instanceof EventRejectedError ? e.reason : "bad_envelope";
      this.#log.warn("event.rejected", { reason, source: "long_connection" });
      return undefined; // acknowledged: sending it again would not help
    }
    const isNew = await this.#o.store.insert(event, "long_connection");
    if (isNew) this.#stats.stored++;
    else this.#stats.replays++;
    this.#log.info(isNew ? "event.stored" : "event.replay_ignored", {
      event_id: event.eventId,
      event_type: event.eventType,
      source: "long_connection",
    });
    if (isNew && this.#o.onStored) {
      try {
        this.#o.onStored(event);
      } catch (e) {
        this.#log.warn("event.on_stored_failed", { event_id: event.eventId, error: String(e) });
      }
    }
    return undefined;
  }
}
