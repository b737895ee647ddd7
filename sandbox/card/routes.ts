/**
 * Routes of the sandbox's card family:
 * - `POST /__sandbox/card/click` (control): deliver a click to the service's
 *   callback URL, signed as Feishu does (see `click.ts`); answers
 *   `{code:0, data:{event_id, status, body}}` with what the service answered.
 * - `POST /__sandbox/card/messages` (control): seed a card message
 *   `{app_id, card, message_id?}` → `{code:0, data:{message_id}}`.
 * - `GET /__sandbox/card/messages/:message_id` (control): the card now and its history.
 * - `PATCH /open-apis/im/v1/messages/:message_id`: update a card seeded here (cards sent through
 *   the IM family follow its rules; this family records their history)
 *   (open.feishu.cn/document/server-docs/im-v1/message-card/patch): tenant
 *   token, body `{content}` = card JSON string; ≤ 30 KB (230025); the message
 *   must be a card this app sent. Answers `{code:0, msg:"success", data:{}}`.
 *   UNCONFIRMED: the code for an unknown message (230001 here), and that
 *   `config.update_multi` is not enforced, nor the 5 QPS per message.
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { MSG_INVALID_TOKEN, MSG_MISSING_TOKEN, openApiError, sendJson } from "../_respond.ts";
import type { SandboxState } from "../state.ts";
import { buildClick, type ClickInput } from "./click.ts";
import { type CardFamily, cardFamily, type CardMessage } from "./family.ts";

/** Path of the card-update endpoint. */
export const CARD_PATCH_PATH = "/open-apis/im/v1/messages/:message_id";
const CARD_LIMIT_BYTES = 30 * 1024;

/** Register the card family's routes. */
export function registerCardRoutes(app: SandboxApp, state: SandboxState): void {
  const family = cardFamily(state);
  state.onReset(() => family.reset());
  app.post("/__sandbox/card/click", (c) => click(c, state, family));
  app.post("/__sandbox/card/messages", async (c) => {
    const body = await c.req.json().catch(() => ({})) as {
      app_id?: string;
      card?: unknown;
      message_id?: string;
    };
    if (!body.app_id || typeof body.card !== "object") {
      return sendJson(c, state.clock, { code: 1, msg: "app_id and card required" }, 400);
    }
    const id = body.message_id ?? `om_${crypto.randomUUID().replaceAll("-", "")}`;
    family.messages.set(id, {
      messageId: id,
      appId: body.app_id,
      card: body.card,
      history: [],
      updates: 0,
      seeded: true,
    });
    return sendJson(c, state.clock, { code: 0, data: { message_id: id } });
  });
  app.get("/__sandbox/card/messages/:message_id", (c) => {
    const m = family.messages.get(c.req.param("message_id") ?? "");
    if (!m) return sendJson(c, state.clock, { code: 1, msg: "unknown message" }, 404);
    return sendJson(c, state.clock, {
      code: 0,
      data: { message_id: m.messageId, card: m.card, history: m.history, updates: m.updates },
    });
  });
  // One card-update endpoint: a card sent through the IM family follows that family's documented
  // rules (sandbox/im, `im_message_patch`) and this family only keeps its history; a card seeded
  // here (`POST /__sandbox/card/messages`) is updated here.
  app.patch(CARD_PATCH_PATH, async (c, next) => {
    const id = c.req.param("message_id") ?? "";
    const sent = sentMessage(state, id);
    if (!sent || family.messages.get(id)?.seeded) return await patchCard(c, state, family);
    const before = sent.parsed;
    await next();
    if (c.res.status !== 200 || sent.msgType !== "interactive") return;
    const m = family.messages.get(id) ?? adoptSent(state, family, id)!;
    m.history.push(before);
    m.card = sentCard(state, id)?.parsed;
    m.updates++;
  });
}

async function click(c: SandboxContext, state: SandboxState, family: CardFamily): Promise<Response> {
  const input = await c.req.json().catch(() => null) as ClickInput | null;
  if (!input?.callback_url || !input.app_id || !input.message_id || !input.open_id) {
    return sendJson(
      c,
      state.clock,
      { code: 1, msg: "callback_url, app_id, message_id, open_id required" },
      400,
    );
  }
  const target = new URL(input.callback_url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
    return sendJson(c, state.clock, { code: 1, msg: "callback_url must be on loopback" }, 400);
  }
  const built = await buildClick({ ...input, action: input.action ?? {} }, state.clock.now());
  let status = 0;
  let text = "";
  try {
    // Feishu waits 3 s for the answer.
    const res = await fetch(target, {
      method: "POST",
      headers: built.headers,
      body: built.body,
      redirect: "manual",
      signal: AbortSignal.timeout(3000),
    });
    status = res.status;
    text = await res.text();
  } catch (e) {
    text = `delivery failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  family.clicks.push({ eventId: built.eventId, messageId: input.message_id, status, body: text });
  return sendJson(c, state.clock, { code: 0, data: { event_id: built.eventId, status, body: text } });
}

async function patchCard(c: SandboxContext, state: SandboxState, family: CardFamily): Promise<Response> {
  const clock = state.clock;
  const match = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "");
  if (!match) return openApiError(c, clock, 400, 99991661, MSG_MISSING_TOKEN);
  const check = state.tokens.check(match[1], "tenant");
  if (!check.ok) return openApiError(c, clock, 400, 99991663, MSG_INVALID_TOKEN);
  const invalid = (field: string, description: string) =>
    openApiError(c, clock, 400, 230001, "invalid request parameters", [{ field, description }]);
  let body: { content?: unknown };
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return invalid("body", "request body is not a valid JSON object");
  }
  if (typeof body?.content !== "string") return invalid("content", "content must be a JSON string");
  if (new TextEncoder().encode(body.content).length > CARD_LIMIT_BYTES) {
    return openApiError(c, clock, 400, 230025, "The message content exceeds the length limit.");
  }
  let card: unknown;
  try {
    card = JSON.parse(body.content);
    if (!card || typeof card !== "object" || Array.isArray(card)) throw new TypeError("not an object");
  } catch {
    return invalid("content", "content is not a JSON object string");
  }
  const id = c.req.param("message_id") ?? "";
  const message = family.messages.get(id);
  if (!message || message.appId !== check.record.appId) {
    return openApiError(c, clock, 400, 230001, "invalid message_id");
  }
  message.history.push(message.card);
  message.card = card;
  message.updates++;
  return sendJson(c, clock, { code: 0, msg: "success", data: {} });
}

/** A card sent through the IM family's send endpoint becomes updatable here. */
/** The message `id` as the IM family recorded it (content as now), if it sent one. */
function sentMessage(
  state: SandboxState,
  id: string,
): { messageId: string; appId: string; msgType: string; parsed: unknown } | undefined {
  const meeting = state.families.get("meeting") as
    | { sentMessages?: { messageId: string; appId: string; msgType: string; parsed: unknown }[] }
    | undefined;
  return meeting?.sentMessages?.find((m) => m.messageId === id);
}

/** The interactive message `id` the IM family sent, if any. */
function sentCard(state: SandboxState, id: string): ReturnType<typeof sentMessage> {
  const m = sentMessage(state, id);
  return m?.msgType === "interactive" ? m : undefined;
}

function adoptSent(state: SandboxState, family: CardFamily, id: string): CardMessage | undefined {
  const sent = sentCard(state, id);
  if (!sent) return undefined;
  const m: CardMessage = { messageId: id, appId: sent.appId, card: sent.parsed, history: [], updates: 0 };
  family.messages.set(id, m);
  return m;
}
