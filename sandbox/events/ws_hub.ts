/**
 * The long-connection side of the sandbox (the official Node SDK's ws-client (`@larksuiteoapi/node-sdk`)):
 * connect tickets handed out by endpoint discovery, the open WebSockets,
 * `ping` → `pong` (payload = ClientConfig JSON), event data frames (split
 * into `sum` chunks on request) and their acks (`{"code":200}`).
 *
 * Delivery is "cluster mode": each message goes to one connection of the
 * app (round robin here). Knobs: close a socket (the client must
 * reconnect) or freeze it (it stays open but goes silent: no pongs, frames
 * dropped — a dead socket the client's watchdog has to notice).
 *
 * @module
 */
import type { Clock } from "../../lib/time/mod.ts";
import { randomHex } from "./event_crypto.ts";
import {
  decodeFrame,
  encodeFrame,
  type Frame,
  FRAME_CONTROL,
  FRAME_DATA,
  frameHeader,
} from "../../lib/testing/pbbp2_frame.ts";

/** `ClientConfig` of endpoint discovery and pongs (seconds; -1 count = forever). */
export interface WsClientConfig {
  /** Ping every this many seconds. */
  PingInterval: number;
  /** Reconnect attempts (-1 = forever). */
  ReconnectCount: number;
  /** Seconds between reconnect attempts. */
  ReconnectInterval: number;
  /** Random extra wait before the first reconnect, seconds. */
  ReconnectNonce: number;
}

/** A connect ticket (query of the URL returned by discovery). */
export interface WsTicket {
  /** Ticket text (single use). */
  ticket: string;
  /** App. */
  appId: string;
  /** `device_id` query parameter. */
  deviceId: string;
  /** `service_id` query parameter (the frames' `service`). */
  serviceId: number;
  /** Expiry, ms (sandbox clock). */
  expiresAt: number;
}

/** State of a connection. */
export type WsConnectionState = "open" | "frozen" | "closed";

/** What tests can read about a connection. */
export interface WsConnectionInfo {
  /** Connection id (`conn-1`, …). */
  id: string;
  /** App. */
  appId: string;
  /** Device id. */
  deviceId: string;
  /** Service id. */
  serviceId: number;
  /** State. */
  state: WsConnectionState;
  /** Opened, ms (real time). */
  openedAt: number;
  /** Closed, ms (real time). */
  closedAt?: number;
  /** Pings received (and answered while not frozen). */
  pings: number;
  /** Acks received. */
  acks: number;
  /** Data frames sent. */
  framesSent: number;
}

/** Lifetime of a connect ticket. */
export const WS_TICKET_TTL_MS = 5 * 60_000;
/** Most connections per app (Feishu: 50). */
export const WS_MAX_CONNECTIONS = 50;

interface Connection {
  info: WsConnectionInfo;
  socket: WebSocket;
  seq: bigint;
}

type AckWaiter = { connectionId: string; resolve: (code: number | undefined) => void };

/** Tickets, connections, frames and acks. */
export class WsHub {
  readonly #clock: Clock;
  readonly #config: () => WsClientConfig;
  readonly #tickets = new Map<string, WsTicket>();
  readonly #connections: Connection[] = [];
  readonly #ackWaiters = new Map<string, AckWaiter>();
  #nextId = 1;
  #rr = 0;

  /** Create the hub; `config` is read on every discovery and pong. */
  constructor(clock: Clock, config: () => WsClientConfig) {
    this.#clock = clock;
    this.#config = config;
  }

  /** The current ClientConfig. */
  get clientConfig(): WsClientConfig {
    return this.#config();
  }

  /** Hand out a connect ticket for `appId`. */
  issueTicket(appId: string): WsTicket {
    const now = this.#clock.now();
    for (const [k, t] of this.#tickets) if (t.expiresAt <= now) this.#tickets.delete(k);
    const t: WsTicket = {
      ticket: crypto.randomUUID(),
      appId,
      deviceId: String(BigInt("0x" + randomHex(15))),
      serviceId: 33554678 + (this.#nextId % 1000),
      expiresAt: now + WS_TICKET_TTL_MS,
    };
    this.#tickets.set(t.ticket, t);
    return t;
  }

  /** Take a ticket (single use); `undefined` when unknown or expired. */
  takeTicket(ticket: string): WsTicket | undefined {
    const t = this.#tickets.get(ticket);
    this.#tickets.delete(ticket);
    return t && this.#clock.now() < t.expiresAt ? t : undefined;
  }

  /** Open (incl. frozen) connections of `appId` (all apps when omitted). */
  openCount(appId?: string): number {
    return this.#connections.filter((c) => c.info.state !== "closed" && (!appId || c.info.appId === appId))
      .length;
  }

  /** Every connection so far, oldest first. */
  get connections(): WsConnectionInfo[] {
    return this.#connections.map((c) => ({ ...c.info }));
  }

  /** Take over an upgraded socket for `ticket`. */
  attach(socket: WebSocket, ticket: WsTicket): WsConnectionInfo {
    socket.binaryType = "arraybuffer";
    const conn: Connection = {
      socket,
      seq: 0n,
      info: {
        id: `conn-${this.#nextId++}`,
        appId: ticket.appId,
        deviceId: ticket.deviceId,
        serviceId: ticket.serviceId,
        state: "open",
        openedAt: Date.now(),
        pings: 0,
        acks: 0,
        framesSent: 0,
      },
    };
    this.#connections.push(conn);
    socket.onmessage = (e) => this.#onMessage(conn, e.data);
    socket.onclose = () => this.#onClose(conn);
    socket.onerror = () => {};
    return conn.info;
  }

  /** The next connection of `appId` for a delivery (round robin), if any. */
  pick(appId: string): WsConnectionInfo | undefined {
    const open = this.#connections.filter((c) => c.info.state !== "closed" && c.info.appId === appId);
    if (open.length === 0) return undefined;
    return open[this.#rr++ % open.length].info;
  }

  /**
   * Send `payload` as an event over connection `connectionId`, split into
   * `chunks` frames; resolves with the ack's `code`, or `undefined` when no
   * ack came within `timeoutMs` (or the socket closed, or `signal` aborted).
   */
  async sendEvent(
    connectionId: string,
    payload: Uint8Array,
    opts: {
      chunks: number;
      traceId: string;
      timeoutMs: number;
      sleep: (ms: number, s: AbortSignal) => Promise<boolean>;
    },
  ): Promise<number | undefined> {
    const conn = this.#connections.find((c) => c.info.id === connectionId);
    if (!conn || conn.info.state === "closed") return undefined;
    const messageId = randomHex(32);
    const ack = new Promise<number | undefined>((resolve) => {
      this.#ackWaiters.set(messageId, { connectionId, resolve });
    });
    const sum = Math.max(1, Math.min(opts.chunks, payload.length));
    const size = Math.ceil(payload.length / sum);
    for (let seq = 0; seq < sum; seq++) {
      this.#send(conn, {
        SeqID: ++conn.seq,
        LogID: BigInt("0x" + randomHex(15)),
        service: conn.info.serviceId,
        method: FRAME_DATA,
        headers: [
          { key: "type", value: "event" },
          { key: "message_id", value: messageId },
          { key: "sum", value: String(sum) },
          { key: "seq", value: String(seq) },
          { key: "trace_id", value: opts.traceId },
        ],
        payload: payload.subarray(seq * size, Math.min(payload.length, (seq + 1) * size)),
      });
      conn.info.framesSent++;
    }
    const stop = new AbortController();
    const timeout = opts.sleep(opts.timeoutMs, stop.signal).then(() => undefined);
    const code = await Promise.race([ack, timeout]);
    stop.abort();
    this.#ackWaiters.delete(messageId);
    return code;
  }

  /** Close (`"close"`) or silence (`"freeze"`) one connection or all of them; returns how many. */
  kill(mode: "close" | "freeze", connectionId?: string): number {
    let n = 0;
    for (const c of this.#connections) {
      if (c.info.state === "closed" || (connectionId && c.info.id !== connectionId)) continue;
      n++;
      if (mode === "freeze") {
        c.info.state = "frozen";
        continue;
      }
      try {
        c.socket.close(1000, "sandbox kill");
      } catch { /* already closing */ }
      this.#onClose(c);
    }
    return n;
  }

  /** Close every socket and forget tickets. */
  closeAll(): void {
    this.kill("close");
    this.#tickets.clear();
  }

  #send(conn: Connection, frame: Frame): void {
    if (conn.info.state !== "open" || conn.socket.readyState !== WebSocket.OPEN) return;
    conn.socket.send(encodeFrame(frame));
  }

  #onMessage(conn: Connection, data: unknown): void {
    if (conn.info.state !== "open" || !(data instanceof ArrayBuffer)) return;
    let frame: Frame;
    try {
      frame = decodeFrame(new Uint8Array(data));
    } catch {
      return; // garbage from the client: ignored, like an unknown frame
    }
    const type = frameHeader(frame, "type");
    if (frame.method === FRAME_CONTROL && type === "ping") {
      conn.info.pings++;
      this.#send(conn, {
        SeqID: frame.SeqID,
        LogID: frame.LogID,
        service: frame.service,
        method: FRAME_CONTROL,
        headers: [{ key: "type", value: "pong" }],
        payload: new TextEncoder().encode(JSON.stringify(this.#config())),
      });
      return;
    }
    if (frame.method !== FRAME_DATA) return;
    const waiter = this.#ackWaiters.get(frameHeader(frame, "message_id") ?? "");
    if (!waiter) return;
    conn.info.acks++;
    let code: number | undefined;
    try {
      const body = JSON.parse(new TextDecoder().decode(frame.payload ?? new Uint8Array()));
      code = typeof body?.code === "number" ? body.code : undefined;
    } catch { /* an ack without JSON counts as a failed one */ }
    waiter.resolve(code ?? 0);
  }

  #onClose(conn: Connection): void {
    if (conn.info.state === "closed") return;
    conn.info.state = "closed";
    conn.info.closedAt = Date.now();
    for (const w of this.#ackWaiters.values()) if (w.connectionId === conn.info.id) w.resolve(undefined);
  }
}
