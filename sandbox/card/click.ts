/**
 * Builds and delivers a card click the way Feishu does.
 *
 * New-style callbacks (`card.action.trigger`, card JSON 2.0 and request URLs
 * configured under "事件与回调 → 回调配置"): a v2 envelope
 * `{schema:"2.0", header:{event_id, token, create_time (µs), event_type, tenant_key, app_id},
 * event:{operator, token, action, host, context:{open_message_id, open_chat_id}}}`,
 * encrypted as `{"encrypt": …}` when an Encrypt Key is set, signed with
 * `X-Lark-Signature = hex(SHA-256(timestamp + nonce + encryptKey + body))`.
 * Source: open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication
 * and the official Go SDK (`event/dispatcher`).
 *
 * Old-style callbacks (`card.action.trigger_v1`, the bot's "消息卡片请求网址"):
 * a flat body `{open_id, user_id, tenant_key, open_message_id, token, action}`
 * signed with `hex(SHA-1(timestamp + nonce + verificationToken + body))`.
 * Source: official Go SDK `card/card.go#VerifySign`.
 *
 * UNCONFIRMED: the delayed-update token's format (`c-` + hex here).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { encryptEvent, eventSignature, randomHex } from "../events/event_crypto.ts";

/** What `POST /__sandbox/card/click` accepts. */
export interface ClickInput {
  /** Where to deliver (the service's `/callback/card`); loopback only. */
  callback_url: string;
  /** App the card belongs to. */
  app_id: string;
  /** Message clicked (`om_…`). */
  message_id: string;
  /** Chat of the message. */
  chat_id?: string;
  /** Who clicked. */
  open_id: string;
  /** Tenant user id of who clicked. */
  user_id?: string;
  /** The button's `value` (and optional `tag`, `name`, `form_value`). */
  action: { value?: unknown; tag?: string; name?: string; form_value?: unknown };
  /** `v2` (default, `card.action.trigger`) or `v1` (old message-card request URL). */
  style?: "v2" | "v1";
  /** Encrypt Key: sign (and encrypt, unless `encrypt` is false) the v2 body. */
  encrypt_key?: string;
  /** Encrypt the v2 body (default true when an Encrypt Key is given). */
  encrypt?: boolean;
  /** Verification Token carried in the body (and signing v1 clicks). */
  verification_token?: string;
  /** Fixed `event_id` (default random). */
  event_id?: string;
  /** Fixed `X-Lark-Request-Timestamp` (seconds; default now). */
  timestamp?: string;
  /** Fixed `X-Lark-Request-Nonce` (default random). */
  nonce?: string;
}

/** A built click: the exact body and headers Feishu would send. */
export interface BuiltClick {
  /** `event_id` (v2) or `v1:<nonce>`. */
  eventId: string;
  /** Raw body. */
  body: string;
  /** Headers including the signature. */
  headers: Record<string, string>;
}

/** Build the request of one click at `nowMs`. */
export async function buildClick(input: ClickInput, nowMs: number): Promise<BuiltClick> {
  const timestamp = input.timestamp ?? String(Math.floor(nowMs / 1000));
  const nonce = input.nonce ?? randomHex(8);
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "x-lark-request-timestamp": timestamp,
    "x-lark-request-nonce": nonce,
  };
  if (input.style === "v1") {
    const body = JSON.stringify({
      open_id: input.open_id,
      user_id: input.user_id,
      tenant_key: "sandbox_tenant",
      open_message_id: input.message_id,
      open_chat_id: input.chat_id,
      token: `c-${randomHex(16)}`,
      action: { tag: "button", ...input.action },
    });
    const sha1 = createHash("sha1");
    sha1.update(timestamp + nonce + (input.verification_token ?? "") + body);
    headers["x-lark-signature"] = sha1.digest("hex");
    return { eventId: `v1:${nonce}`, body, headers };
  }
  const eventId = input.event_id ?? randomHex(16);
  const envelope = {
    schema: "2.0",
    header: {
      event_id: eventId,
      token: input.verification_token ?? "",
      create_time: String(nowMs * 1000),
      event_type: "card.action.trigger",
      tenant_key: "sandbox_tenant",
      app_id: input.app_id,
    },
    event: {
      operator: { tenant_key: "sandbox_tenant", open_id: input.open_id, user_id: input.user_id },
      token: `c-${randomHex(16)}`,
      action: { tag: "button", ...input.action },
      host: "im_message",
      delivery_type: "url_callback",
      context: { open_message_id: input.message_id, open_chat_id: input.chat_id },
    },
  };
  let body = JSON.stringify(envelope);
  if (input.encrypt_key) {
    if (input.encrypt !== false) {
      body = JSON.stringify({ encrypt: await encryptEvent(input.encrypt_key, body) });
    }
    headers["x-lark-signature"] = await eventSignature(timestamp, nonce, input.encrypt_key, body);
  }
  return { eventId, body, headers };
}
