import { constantTimeEqual } from "../events/_bytes.ts";
import { readBodyCapped } from "../events/_read_body.ts";
import { EventRejectedError } from "../events/event_error.ts";
import type { EventSink } from "../events/event_store.ts";
import type { LarkEvent } from "../events/lark_event.ts";
import { ReplayGuard } from "../events/replay_guard.ts";
import { handleWebhook } from "../events/webhook_handler.ts";
import { verifyCardSignature } from "../im/verify_card_signature.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import type { JobQueue } from "../queue/job_queue.ts";
import { QueueUnavailableError } from "../queue/queue_error.ts";
import { CARD_ACTION_V1_EVENT, type CardAction, cardActionFromEvent } from "./card_action.ts";
import { type CardJob, cardJobOf } from "./card_job.ts";
import { cardCallbackSink } from "./card_callback_sink.ts";
import type { CardHandlerResult, CardToast } from "./card_router.ts";
import { runInline, withinDeadline } from "./_deadline.ts";

/** Options of {@linkcode handleCardCallback}. */
export interface CardCallbackOptions {
  /** Where callbacks go. */
  queue: JobQueue<CardJob>;
  /** The app this URL serves (old-style callbacks carry no app id). */
  appId?: string;
  /** Encrypt Key: new-style callbacks are signed (SHA-256) and may be encrypted; unsigned ones are refused. */
  encryptKey?: string;
  /** Verification Token: checked in new-style bodies; signs old-style callbacks (SHA-1). */
  verificationToken?: string;
  /** Timestamp window and nonce memory (default ±300 s, one guard per options object). */
  replayGuard?: ReplayGuard;
  /**
   * When the queue is down: `"refuse"` (default) answers 503 with a "degraded"
   * envelope and an error toast; `"inline"` runs `inline` within `inlineBudgetMs`
   * and answers with its card, refusing only if that fails too.
   */
  whenQueueDown?: "refuse" | "inline";
  /** Handler used inline when the queue is down. */
  inline?: (action: CardAction) => Promise<CardHandlerResult | void>;
  /** Time for an inline handler, ms (default 2000), within what is left of `budgetMs`. */
  inlineBudgetMs?: number;
  /**
   * Time to answer, ms (default 2500: Feishu waits 3 s), counted from the call. Storing the
   * callback on the queue and, when that fails, the inline handler share it: an enqueue
   * still pending when it runs out counts as the queue being unavailable
   * (`QueueUnavailableError`), handled inline with the time left or refused "degraded".
   */
  budgetMs?: number;
  /**
   * Part of `budgetMs` the enqueue may take, ms (default: all of it when refusing; 1500
   * with `whenQueueDown: "inline"`, which leaves 1 s of the 2.5 s for the inline handler).
   */
  enqueueBudgetMs?: number;
  /** Time source of the budget (default the system clock). */
  clock?: Clock;
  /** Toast answered once a callback is queued (default "已收到，正在处理…"; null answers `{}`). */
  ackToast?: CardToast | null;
  /** Largest body, bytes (default 1 MB). */
  maxBodyBytes?: number;
  /** Request id for the degraded envelope. */
  requestId?: string;
  /** Logger. */
  logger?: Logger;
  /** Called with each newly queued callback. */
  onQueued?: (job: CardJob) => void;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };
const guards = new WeakMap<CardCallbackOptions, ReplayGuard>();

/**
 * The card callback URL. Answers within Feishu's 3 s after storing the
 * callback durably on the queue:
 * - new-style `card.action.trigger` (v2 envelope, optionally encrypted):
 *   verified by the event rules of `handleWebhook` (SHA-256 signature with
 *   the Encrypt Key over the raw body, Verification Token, ±5 min timestamp,
 *   single-use nonce; forged → 401, replayed → 401), de-duplicated on `event_id`;
 * - old-style `card.action.trigger_v1` (flat body): SHA-1 signature with the
 *   Verification Token, same timestamp/nonce rules, URL verification echoed.
 *
 * A queued callback is answered with a toast; the handler's card arrives via
 * the card-update API. If the queue is down — or has not confirmed the
 * callback within the budget (`budgetMs`, default 2.5 s) — the callback is
 * handled inline (`whenQueueDown: "inline"`, its card in the answer, within
 * the time left) or refused with 503 and a "degraded" envelope: never
 * acknowledged and lost. An enqueue that lands after the budget ran out is
 * logged (`card.enqueue_late`) and its job runs as any other (a handler
 * answered inline is skipped by a worker whose ledger shows it done).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { JobQueue } from "../queue/job_queue.ts";
 * import type { CardJob } from "./card_job.ts";
 *
 * declare const queue: JobQueue<CardJob>, encryptKey: string, verificationToken: string;
 * // One options object for every request: its replay guard remembers the nonces seen.
 * const options = { queue, encryptKey, verificationToken };
 * const app = new Hono();
 * app.post("/callback/card", (c) => handleCardCallback(c.req.raw, options));
 * ```
 */
export async function handleCardCallback(request: Request, o: CardCallbackOptions): Promise<Response> {
  const log = o.logger ?? silentLogger;
  const clock = o.clock ?? systemClock;
  const started = clock.now();
  const budgetMs = o.budgetMs ?? 2500;
  const deadline = started + budgetMs;
  const enqueueMs = Math.min(budgetMs, o.enqueueBudgetMs ?? (o.whenQueueDown === "inline" ? 1500 : budgetMs));
  let guard = o.replayGuard ?? guards.get(o);
  if (!guard) guards.set(o, guard = new ReplayGuard());
  let raw: Uint8Array;
  try {
    if (request.method !== "POST") throw new EventRejectedError("method", `method ${request.method}`);
    raw = await readBodyCapped(request, o.maxBodyBytes ?? 1_048_576, 2000);
  } catch (e) {
    if (e instanceof EventRejectedError) return rejected(e, log);
    throw e;
  }
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(raw));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new TypeError("not an object");
    body = parsed;
  } catch (e) {
    return rejected(new EventRejectedError("bad_json", "body is not a JSON object", { cause: e }), log);
  }

  const outcome: { queued?: CardJob; inline?: CardHandlerResult; down?: QueueUnavailableError } = {};
  const queued = cardCallbackSink(o.queue, { appId: o.appId, onQueued: o.onQueued });
  const sink: EventSink = {
    insert: async (event: LarkEvent) => {
      try {
        const fresh = await withinDeadline(queued.insert(event, "webhook"), {
          clock,
          deadline: started + enqueueMs,
          backend: o.queue.backend,
          budgetMs: enqueueMs,
          onLate: (late) => log.warn("card.enqueue_late", { event_id: event.eventId, ...late }),
        });
        outcome.queued = cardJobOf(event);
        return fresh;
      } catch (e) {
        if (!(e instanceof QueueUnavailableError)) throw e;
        log.error("card.queue_down", { event_id: event.eventId, backend: e.backend, error: e.message });
        if (o.whenQueueDown === "inline" && o.inline) {
          outcome.inline = await runInline(
            o,
            cardActionFromEvent({ ...event, appId: event.appId ?? o.appId }),
            clock,
            Math.min(o.inlineBudgetMs ?? 2000, deadline - clock.now()),
          );
          if (outcome.inline) return true;
        }
        outcome.down = e;
        throw e;
      }
    },
  };

  const newStyle = typeof body.encrypt === "string" || body.schema !== undefined || body.header !== undefined;
  let res: Response;
  if (newStyle) {
    res = await handleWebhook(
      new Request(request.url, { method: "POST", headers: request.headers, body: new Uint8Array(raw) }),
      {
        store: sink,
        encryptKey: o.encryptKey,
        verificationToken: o.verificationToken,
        replayGuard: guard,
        logger: log,
      },
    );
  } else {
    res = await handleOldStyle(request.headers, raw, body, o, guard, sink, log);
  }

  if (outcome.down) return degraded(outcome.down, o.requestId);
  if (res.status !== 200) return res;
  if (outcome.inline) {
    const answer: Record<string, unknown> = {};
    if (outcome.inline.toast) answer.toast = outcome.inline.toast;
    if (outcome.inline.card) answer.card = { type: "raw", data: outcome.inline.card };
    return new Response(JSON.stringify(answer), { headers: JSON_HEADERS });
  }
  if (outcome.queued && o.ackToast !== null) {
    const toast = o.ackToast ?? { type: "info", content: "已收到，正在处理…" };
    return new Response(JSON.stringify({ toast }), { headers: JSON_HEADERS });
  }
  return res;
}

async function handleOldStyle(
  headers: Headers,
  raw: Uint8Array,
  body: Record<string, unknown>,
  o: CardCallbackOptions,
  guard: ReplayGuard,
  sink: EventSink,
  log: Logger,
): Promise<Response> {
  const nonce = headers.get("x-lark-request-nonce");
  try {
    if (body.type === "url_verification") {
      const token = typeof body.token === "string" ? body.token : "";
      if (o.verificationToken && !constantTimeEqual(token, o.verificationToken)) {
        throw new EventRejectedError("bad_token", "url_verification token mismatch");
      }
      return new Response(JSON.stringify({ challenge: String(body.challenge ?? "") }), {
        headers: JSON_HEADERS,
      });
    }
    if (!o.verificationToken) {
      throw new EventRejectedError("missing_signature", "old-style card callbacks need a Verification Token");
    }
    const ok = verifyCardSignature({
      timestamp: headers.get("x-lark-request-timestamp") ?? "",
      nonce: nonce ?? "",
      verificationToken: o.verificationToken,
      rawBody: raw,
      signature: headers.get("x-lark-signature") ?? "",
    });
    if (!ok) throw new EventRejectedError("bad_signature", "X-Lark-Signature (SHA-1) does not match");
    const refusal = guard.check(headers.get("x-lark-request-timestamp"), nonce);
    if (refusal) throw new EventRejectedError("stale_request", `signed request refused: ${refusal}`);
    const event: LarkEvent = {
      schema: "1.0",
      eventId: `v1:${nonce}`,
      eventType: CARD_ACTION_V1_EVENT,
      appId: o.appId,
      tenantKey: typeof body.tenant_key === "string" ? body.tenant_key : undefined,
      createTimeMs: Number(headers.get("x-lark-request-timestamp")) * 1000,
      event: body,
      envelope: body,
    };
    try {
      await sink.insert(event, "webhook");
    } catch (e) {
      guard.forget(nonce);
      throw new EventRejectedError("store_failed", "callback could not be queued", { cause: e });
    }
    return new Response("{}", { headers: JSON_HEADERS });
  } catch (e) {
    if (e instanceof EventRejectedError) return rejected(e, log);
    throw e;
  }
}

function rejected(e: EventRejectedError, log: Logger): Response {
  log.warn("card.rejected", { reason: e.reason, status: e.status, message: e.message });
  return new Response(JSON.stringify({ error: e.reason }), { status: e.status, headers: JSON_HEADERS });
}

/** 503 with the core envelope and a toast the clicking user sees. */
function degraded(e: QueueUnavailableError, requestId?: string): Response {
  return new Response(
    JSON.stringify({
      code: "degraded",
      request_id: requestId ?? null,
      data: null,
      error: { code: "queue_unavailable", message: e.message, fix: e.hint },
      toast: { type: "error", content: "服务繁忙，本次操作未被处理，请稍后再点一次。" },
    }),
    { status: 503, headers: { ...JSON_HEADERS, "retry-after": "5" } },
  );
}
