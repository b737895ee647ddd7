/**
 * Event delivery with Feishu's rules (https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/encrypt-key-encryption-configuration-case):
 * - webhook: POST the schema 2.0 envelope (plain, or `{"encrypt": …}` with
 *   `X-Lark-Signature` when an Encrypt Key is set; `X-Lark-Request-Timestamp`
 *   and `X-Lark-Request-Nonce` always); anything but HTTP 200 within the
 *   answer window (3 s) is a failure;
 * - long connection: data frames, success = an ack with `code` 200 in time;
 * - a failure is retried after each wait of the redelivery schedule, then
 *   the delivery is marked `failed`.
 *
 * Every delivery and attempt is recorded for tests.
 *
 * @module
 */
import type { Clock } from "../../lib/time/mod.ts";
import type { ResolvedMeetingOptions } from "../scenarios/meeting/options.ts";
import { encryptEvent, eventSignature, randomHex } from "./event_crypto.ts";
import type { Timers } from "../_timers.ts";
import type { WsHub } from "./ws_hub.ts";

/** Channel of a delivery. */
export type DeliveryChannel = "webhook" | "ws";
/** Status of a delivery. */
export type DeliveryStatus = "pending" | "delivered" | "failed" | "cancelled";

/** One attempt. */
export interface DeliveryAttempt {
  /** Start, ms (real time). */
  at: number;
  /** Time to the answer (or the give-up), ms. */
  ms: number;
  /** Webhook: HTTP status answered. */
  httpStatus?: number;
  /** Long connection: the ack's `code`. */
  ackCode?: number;
  /** Long connection: the connection used. */
  connectionId?: string;
  /** Why it failed (timeout, refused connection, no connection, …). */
  error?: string;
}

/** One delivery of one event over one channel. */
export interface DeliveryRecord {
  /** Delivery id (`dlv-1`, …). */
  id: string;
  /** `header.event_id` (or the challenge for URL verification). */
  eventId: string;
  /** `header.event_type`. */
  eventType: string;
  /** Channel. */
  channel: DeliveryChannel;
  /** Status. */
  status: DeliveryStatus;
  /** Attempts so far. */
  attempts: DeliveryAttempt[];
  /** The plaintext envelope (JSON text). */
  payload: string;
  /** App the event belongs to. */
  appId: string;
  /** Webhook URL override (else the configured `webhookUrl` at each attempt). */
  url?: string;
  /** Send a wrong `X-Lark-Signature` (to test the receiver's check). */
  corruptSignature?: boolean;
  /** Frames per payload on the long connection. */
  chunks: number;
  /** Id of the delivery this one duplicates. */
  duplicateOf?: string;
}

/** A webhook request as Feishu would send it. */
export interface WebhookRequest {
  /** Raw body. */
  body: string;
  /** Headers (lowercase names). */
  headers: Record<string, string>;
}

/** Build the body and headers of a webhook POST for a plaintext envelope. */
export async function buildWebhookRequest(
  payload: string,
  opts: { encryptKey?: string; timestampSec: number; corruptSignature?: boolean },
): Promise<WebhookRequest> {
  const timestamp = String(opts.timestampSec);
  const nonce = randomHex(16);
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "x-lark-request-timestamp": timestamp,
    "x-lark-request-nonce": nonce,
  };
  if (!opts.encryptKey) return { body: payload, headers };
  const body = JSON.stringify({ encrypt: await encryptEvent(opts.encryptKey, payload) });
  const signature = await eventSignature(timestamp, nonce, opts.encryptKey, body);
  headers["x-lark-signature"] = opts.corruptSignature
    ? signature.replace(/^./, (c) => c === "0" ? "1" : "0")
    : signature;
  return { body, headers };
}

/** Dependencies of {@linkcode DeliveryEngine}. */
export interface DeliveryEngineDeps {
  /** Sandbox clock (signature timestamps). */
  clock: Clock;
  /** Real-time waits. */
  timers: Timers;
  /** Long-connection hub. */
  hub: WsHub;
  /** Current options (read at every attempt). */
  options: () => ResolvedMeetingOptions;
}

/** Runs deliveries and keeps their records. */
export class DeliveryEngine {
  readonly #deps: DeliveryEngineDeps;
  readonly #records: DeliveryRecord[] = [];
  readonly #running = new Map<string, Promise<void>>();
  readonly #aborts = new Set<AbortController>();
  #nextId = 1;

  /** Create the engine. */
  constructor(deps: DeliveryEngineDeps) {
    this.#deps = deps;
  }

  /** Every delivery so far, oldest first. */
  get all(): readonly DeliveryRecord[] {
    return this.#records;
  }

  /** Start delivering; `after` (a delivery id) delays the start until that one settles. */
  start(init: Omit<DeliveryRecord, "id" | "status" | "attempts">, after?: string): DeliveryRecord {
    const record: DeliveryRecord = { ...init, id: `dlv-${this.#nextId++}`, status: "pending", attempts: [] };
    this.#records.push(record);
    const before = after ? this.#running.get(after) : undefined;
    const run = (async () => {
      await before;
      await this.#run(record);
    })().finally(() => this.#running.delete(record.id));
    this.#running.set(record.id, run);
    return record;
  }

  /** Resolves when delivery `id` (every delivery when omitted) is no longer pending. */
  async whenSettled(id?: string): Promise<void> {
    for (;;) {
      const waiting = id === undefined
        ? [...this.#running.values()]
        : [this.#running.get(id)].filter((p) => p);
      if (waiting.length === 0) return;
      await Promise.all(waiting);
    }
  }

  /** Cancel every pending delivery (waits end, in-flight requests are aborted). */
  cancelAll(): void {
    for (const a of this.#aborts) a.abort();
    for (const r of this.#records) if (r.status === "pending") r.status = "cancelled";
  }

  /** Cancel everything and forget the records. */
  clear(): void {
    this.cancelAll();
    this.#records.length = 0;
  }

  async #run(record: DeliveryRecord): Promise<void> {
    const abort = new AbortController();
    this.#aborts.add(abort);
    try {
      for (let i = 0;; i++) {
        if (record.status !== "pending") return;
        const ok = record.channel === "webhook"
          ? await this.#webhookAttempt(record, abort.signal)
          : await this.#wsAttempt(record, abort.signal);
        if (ok) {
          if (record.status === "pending") record.status = "delivered";
          return;
        }
        const wait = this.#deps.options().redeliveryScheduleMs[i];
        if (wait === undefined) {
          if (record.status === "pending") record.status = "failed";
          return;
        }
        if (!await this.#deps.timers.sleep(wait, abort.signal)) {
          if (record.status === "pending") record.status = "cancelled";
          return;
        }
      }
    } finally {
      this.#aborts.delete(abort);
    }
  }

  async #webhookAttempt(record: DeliveryRecord, signal: AbortSignal): Promise<boolean> {
    const o = this.#deps.options();
    const attempt: DeliveryAttempt = { at: Date.now(), ms: 0 };
    record.attempts.push(attempt);
    const url = record.url ?? o.webhookUrl;
    if (!url) {
      attempt.error = "没有配置 webhookUrl";
      return false;
    }
    const request = await buildWebhookRequest(record.payload, {
      encryptKey: o.encryptKey,
      timestampSec: Math.floor(this.#deps.clock.now() / 1000),
      corruptSignature: record.corruptSignature,
    });
    const timeout = new AbortController();
    const onAbort = () => timeout.abort(new Error("cancelled"));
    signal.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => timeout.abort(new Error("timeout")), o.answerTimeoutMs);
    try {
      const res = await fetch(url, {
        method: "POST",
        ...request,
        redirect: "manual",
        signal: timeout.signal,
      });
      await res.body?.cancel();
      attempt.httpStatus = res.status;
      return res.status === 200;
    } catch (e) {
      attempt.error = timeout.signal.aborted
        ? String((timeout.signal.reason as Error)?.message)
        : errorText(e);
      return false;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      attempt.ms = Date.now() - attempt.at;
    }
  }

  async #wsAttempt(record: DeliveryRecord, signal: AbortSignal): Promise<boolean> {
    const attempt: DeliveryAttempt = { at: Date.now(), ms: 0 };
    record.attempts.push(attempt);
    const conn = this.#deps.hub.pick(record.appId);
    if (!conn) {
      attempt.error = "没有已连接的长连接";
      return false;
    }
    attempt.connectionId = conn.id;
    const timers = this.#deps.timers;
    const code = await this.#deps.hub.sendEvent(conn.id, new TextEncoder().encode(record.payload), {
      chunks: record.chunks,
      traceId: randomHex(32),
      timeoutMs: this.#deps.options().answerTimeoutMs,
      sleep: (ms, stop) => timers.sleep(ms, AbortSignal.any([stop, signal])),
    });
    attempt.ms = Date.now() - attempt.at;
    if (code === undefined) attempt.error = signal.aborted ? "cancelled" : "no ack";
    else attempt.ackCode = code;
    return code === 200;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
