import type { EventSink } from "../../../lib/events/event_store.ts";
import { handleWebhook } from "../../../lib/events/webhook_handler.ts";
import { ReplayGuard } from "../../../lib/events/replay_guard.ts";
import type { Logger } from "../../../lib/log/logger.ts";
import type { Clock } from "../../../lib/time/clock.ts";
import type { MeetingRoutes } from "./meeting_routes.ts";

/** Path of the event request URL (register `{public_base_url}/webhook/event` in the app's console). */
export const WEBHOOK_PATH = "/webhook/event";

/** What {@linkcode registerWebhookRoute} needs. */
export interface WebhookRouteOptions {
  /** The durable event store. */
  events: EventSink;
  /** `app.encrypt_key` ("" = plaintext events, no signature check). */
  encryptKey: string;
  /** `app.verification_token` ("" = not checked). */
  verificationToken: string;
  /** Called after a new event is stored (wakes the event processor). */
  onStored: () => void;
  /** Time source of the signed-request window (default the system clock). */
  clock?: Clock;
  /** Signed-request window, seconds either side of now (default 300). */
  replayWindowSec?: number;
  /** Logger (event ids and types, refusals; never bodies). */
  logger?: Logger;
}

/**
 * `POST /webhook/event` through `lib/events`' `handleWebhook`: the raw body
 * (1 MB cap → 413), `X-Lark-Signature` over the exact bytes when an Encrypt
 * Key is set (forged or missing → 401; a timestamp more than 5 minutes off
 * or a nonce already used → 401), JSON (→ 400), decryption, the
 * `url_verification` challenge, the Verification Token, then the event stored
 * durably (de-duplicated on `event_id`) and only then 200 — well within
 * Feishu's 3 s. Events are processed later, from the store.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { MeetingConfig } from "../config.ts";
 * import type { EventProcessor } from "./event_processor.ts";
 *
 * declare const config: MeetingConfig, processor: EventProcessor;
 * declare const { events }: WebhookRouteOptions; // the durable store (SQLite in state.db)
 * const app = new Hono();
 * registerWebhookRoute(app, {
 *   events,
 *   encryptKey: config.app.encrypt_key,
 *   verificationToken: config.app.verification_token,
 *   onStored: () => processor.wake(),
 * });
 * ```
 */
export function registerWebhookRoute(app: Pick<MeetingRoutes, "post">, o: WebhookRouteOptions): void {
  const options = {
    store: o.events,
    encryptKey: o.encryptKey || undefined,
    verificationToken: o.verificationToken || undefined,
    logger: o.logger,
    onStored: o.onStored,
    replayGuard: new ReplayGuard({ clock: o.clock, windowSec: o.replayWindowSec }),
  };
  app.post(WEBHOOK_PATH, (c) => handleWebhook(c.req.raw, options));
}
