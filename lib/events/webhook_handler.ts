import { type Logger, silentLogger } from "../log/logger.ts";
import { readBodyCapped } from "./_read_body.ts";
import { EventRejectedError } from "./event_error.ts";
import { ReplayGuard } from "./replay_guard.ts";
import type { EventSink } from "./event_store.ts";
import type { LarkEvent } from "./lark_event.ts";
import { parseEvent } from "./parse_event.ts";
import { verifySignature } from "./verify_signature.ts";

/** Options of {@linkcode handleWebhook}. */
export interface WebhookOptions {
  /** Durable store the events go to (e.g. `SqliteEventStore`). */
  store: EventSink;
  /** Encrypt Key (`APP_ENCRYPT_KEY`): enables the signature check and decryption. */
  encryptKey?: string;
  /** Verification Token (`APP_VERIFICATION_TOKEN`): when set, every payload's token must match. */
  verificationToken?: string;
  /**
   * Refuse unsigned requests (401) other than a URL-verification challenge.
   * Default: true when `encryptKey` is set (Feishu then signs every event).
   */
  requireSignature?: boolean;
  /** Largest body accepted, bytes (default 1 048 576 → 413 above). */
  maxBodyBytes?: number;
  /** Time allowed for the body to arrive, ms (default 2000 → 408). */
  bodyTimeoutMs?: number;
  /**
   * Freshness of signed requests: a timestamp outside the window or a nonce
   * seen before is refused (401). Default: a guard created per options object
   * (±300 s, the nonce memory lives as long as the options do); pass one to
   * share or tune it.
   */
  replayGuard?: ReplayGuard;
  /** Logger: one line per event (id and type, never the body) and per refusal. */
  logger?: Logger;
  /** Called (not awaited) after a new event is stored, e.g. to wake the worker. */
  onStored?: (event: LarkEvent) => void;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/**
 * Feishu's event request URL, framework-neutral: reads the raw body once
 * (1 MB cap → 413), checks `X-Lark-Signature` over the exact bytes when an
 * Encrypt Key is set (forged → 401; a signed request whose
 * `X-Lark-Request-Timestamp` is missing or more than 5 minutes off, or whose
 * `X-Lark-Request-Nonce` was already used, → 401), parses it (bad JSON → 400), decrypts,
 * answers `url_verification` with `{challenge}`, stores each event durably and
 * only then answers 200 `{}`. A replay (same `event_id`, even after a restart)
 * is acknowledged with 200 and ignored. Events are not processed here.
 *
 * @example
 * ```ts
 * import { SqliteEventStore } from "./event_store_sqlite.ts";
 *
 * const store = new SqliteEventStore(".state/events.db");
 * const options = { store, encryptKey: Deno.env.get("APP_ENCRYPT_KEY") }; // one per service: it keeps the nonces
 * Deno.serve((req) => handleWebhook(req, options));
 * ```
 */
export async function handleWebhook(request: Request, options: WebhookOptions): Promise<Response> {
  const log = options.logger ?? silentLogger;
  let fresh: ReplayGuard | undefined;
  try {
    if (request.method !== "POST") throw new EventRejectedError("method", `method ${request.method}`);
    const raw = await readBodyCapped(
      request,
      options.maxBodyBytes ?? 1_048_576,
      options.bodyTimeoutMs ?? 2000,
    );
    const signed = checkSignature(request.headers, raw, options);
    if (signed) fresh = checkFreshness(request.headers, options);
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder().decode(raw));
    } catch (e) {
      throw new EventRejectedError("bad_json", "body is not JSON", { cause: e });
    }
    const parsed = await parseEvent(payload, options);
    if (parsed.type === "challenge") {
      log.info("event.challenge", { signed });
      return new Response(JSON.stringify({ challenge: parsed.challenge }), { headers: JSON_HEADERS });
    }
    const requireSig = options.requireSignature ?? !!options.encryptKey;
    if (requireSig && !signed) throw new EventRejectedError("missing_signature", "unsigned event");
    const event = parsed.event;
    let isNew: boolean;
    try {
      isNew = await options.store.insert(event, "webhook");
    } catch (e) {
      throw new EventRejectedError("store_failed", "event could not be stored", { cause: e });
    }
    log.info(isNew ? "event.stored" : "event.replay_ignored", {
      event_id: event.eventId,
      event_type: event.eventType,
      source: "webhook",
    });
    if (isNew && options.onStored) {
      try {
        options.onStored(event);
      } catch (e) {
        log.warn("event.on_stored_failed", { event_id: event.eventId, error: String(e) });
      }
    }
    return new Response("{}", { headers: JSON_HEADERS });
  } catch (e) {
    if (!(e instanceof EventRejectedError)) throw e;
    if (e.status >= 500) fresh?.forget(request.headers.get("x-lark-request-nonce"));
    const level = e.status >= 500 ? "error" : "warn";
    log[level]("event.rejected", { reason: e.reason, status: e.status, message: e.message });
    return new Response(JSON.stringify({ error: e.reason }), { status: e.status, headers: JSON_HEADERS });
  }
}

const guards = new WeakMap<WebhookOptions, ReplayGuard>();

/** A signed request must be fresh (timestamp window) and new (nonce not seen). */
function checkFreshness(headers: Headers, options: WebhookOptions): ReplayGuard {
  let guard = options.replayGuard ?? guards.get(options);
  if (!guard) guards.set(options, guard = new ReplayGuard());
  const refusal = guard.check(headers.get("x-lark-request-timestamp"), headers.get("x-lark-request-nonce"));
  if (refusal) throw new EventRejectedError("stale_request", `signed request refused: ${refusal}`);
  return guard;
}

/** True when a valid signature is present; throws on a wrong one; false when there is none. */
function checkSignature(headers: Headers, raw: Uint8Array, options: WebhookOptions): boolean {
  if (!options.encryptKey) return false;
  const signature = headers.get("x-lark-signature");
  const timestamp = headers.get("x-lark-request-timestamp");
  const nonce = headers.get("x-lark-request-nonce");
  if (!signature && !timestamp && !nonce) return false;
  const ok = verifySignature({
    timestamp: timestamp ?? "",
    nonce: nonce ?? "",
    encryptKey: options.encryptKey,
    rawBody: raw,
    signature: signature ?? "",
  });
  if (!ok) throw new EventRejectedError("bad_signature", "X-Lark-Signature does not match");
  return true;
}
