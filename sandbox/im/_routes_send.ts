/**
 * `POST /open-apis/im/v1/messages?receive_id_type=` (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create),
 * tenant or user token. Every sent message is kept in the family's
 * `sentMessages` (and the request in the journal) so tests can assert which
 * cards went out.
 *
 * Codes as the page lists them (open.feishu.cn/document/server-docs/im-v1/message/create),
 * all HTTP 400:
 * - `receive_id_type` ∈ open_id, union_id, user_id, email, chat_id;
 *   `receive_id`, `msg_type` (known type) and `content` (a JSON **string**
 *   holding a JSON object) required. Violations → 230001 with `field_violations`.
 * - a `receive_id` that is not an id of `receive_id_type` (`ou_…`, `on_…`,
 *   an email, `oc_…`) → 230034 "The receive_id is invalid.".
 * - a well-formed user id not in the directory → 230013 (outside the availability).
 * - a chat the bot is not in → 230002: the bot is in its p2p chats with the
 *   directory's users and in `meeting.botChats` (default none).
 * - content over 30 KB (card/post) or 150 KB (others) → 230025 (byte count of
 *   `content` is an ASSUMPTION).
 * - 5 QPS per recipient (user, or chat shared by all bots) → 429 + 99991400
 *   (budget `im_message_recipient`, on by default).
 * - `uuid`: the same uuid within 1 h answers the first message again (no new send).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson, throttled } from "../_respond.ts";
import { IM_RECIPIENT_LIMIT } from "../rate_limits.ts";
import { requireCaller } from "../auth/_bearer.ts";
import { type SandboxUser, USER_ID_TYPES, type UserIdType } from "../contact/directory.ts";
import { IM_MESSAGES_PATH } from "./endpoints.ts";
import { randomHex, sha256Hex } from "../events/event_crypto.ts";
import type { MeetingFamily, SentMessage } from "../scenarios/meeting/family.ts";

/** `msg_type`s the send endpoint accepts. */
export const MSG_TYPES = [
  "text",
  "post",
  "image",
  "file",
  "audio",
  "media",
  "sticker",
  "interactive",
  "share_chat",
  "share_user",
] as const;

/** Largest card/post content, bytes (30 KB). */
export const CARD_LIMIT_BYTES = 30 * 1024;
/** Largest text content, bytes (150 KB). */
export const TEXT_LIMIT_BYTES = 150 * 1024;
const UUID_WINDOW_MS = 3_600_000;

/** What a `receive_id` of each type looks like. */
const RECEIVE_ID_SHAPES: Record<string, RegExp> = {
  open_id: /^ou_[0-9a-z]+$/,
  union_id: /^on_[0-9a-z]+$/,
  user_id: /^[0-9A-Za-z_-]+$/,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  chat_id: /^oc_[0-9a-z]+$/,
};

/** The p2p chat of an app's bot with a user (stable per app and user). */
async function p2pChatId(appId: string, user: SandboxUser): Promise<string> {
  return `oc_${(await sha256Hex(`${appId}/${user.openId}`)).slice(0, 32)}`;
}

/** `true` when the app's bot is in `chatId`: one of its p2p chats, or a chat of `meeting.botChats`. */
async function botInChat(family: MeetingFamily, appId: string, chatId: string): Promise<boolean> {
  if (family.options.botChats.includes(chatId)) return true;
  for (const u of family.directory.users) if (await p2pChatId(appId, u) === chatId) return true;
  return false;
}

/** Register the IM send endpoint. */
export function registerImSendRoutes(app: SandboxApp, family: MeetingFamily): void {
  app.post(IM_MESSAGES_PATH, endpoint(family.state, "im_message_create"), (c) => sendMessage(c, family));
}

async function sendMessage(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const clock = family.state.clock;
  const caller = requireCaller(c, family, { tenant: true, user: true });
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, family.state, caller.appId);
  if (limited) return limited;
  const invalid = (field: string, description: string) =>
    openApiError(c, clock, 400, 230001, "Your request contains an invalid request parameter.", [
      { field, description },
    ]);
  const badReceiveId = () => openApiError(c, clock, 400, 230034, "The receive_id is invalid.");

  const idType = c.req.query("receive_id_type");
  if (!idType) return invalid("receive_id_type", "receive_id_type is required");
  if (![...USER_ID_TYPES, "email", "chat_id"].includes(idType)) {
    return invalid("receive_id_type", "receive_id_type is invalid");
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(await c.req.text());
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new TypeError("not an object");
    }
  } catch {
    return invalid("body", "request body is not a valid JSON object");
  }
  const { receive_id: receiveId, msg_type: msgType, content, uuid } = body;
  if (typeof receiveId !== "string" || receiveId === "") {
    return invalid("receive_id", "receive_id is required");
  }
  if (typeof msgType !== "string" || !(MSG_TYPES as readonly string[]).includes(msgType)) {
    return invalid("msg_type", "msg_type is invalid");
  }
  if (typeof content !== "string") return invalid("content", "content must be a JSON string");
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new TypeError("not an object");
    }
  } catch {
    return invalid("content", "content is not a JSON object string");
  }
  if (uuid !== undefined && (typeof uuid !== "string" || uuid.length > 50)) {
    return invalid("uuid", "uuid must be a string of at most 50 characters");
  }
  const limit = msgType === "interactive" || msgType === "post" ? CARD_LIMIT_BYTES : TEXT_LIMIT_BYTES;
  if (new TextEncoder().encode(content).length > limit) {
    return openApiError(c, clock, 400, 230025, "The message content exceeds the length limit.");
  }

  let user: SandboxUser | undefined;
  let chatId: string;
  if (!RECEIVE_ID_SHAPES[idType].test(receiveId)) return badReceiveId();
  if (idType === "chat_id") {
    if (!await botInChat(family, caller.appId, receiveId)) {
      return openApiError(c, clock, 400, 230002, "The bot can not be outside the group.");
    }
    chatId = receiveId;
  } else {
    user = idType === "email"
      ? family.directory.userByEmail(receiveId)
      : family.directory.user(receiveId, idType as UserIdType);
    if (!user) return openApiError(c, clock, 400, 230013, "Bot has NO availability to this user.");
    chatId = await p2pChatId(caller.appId, user);
  }

  // 5 QPS per recipient: per user for user sends, per chat (shared by all bots) for chat sends.
  const recipient = user ? `user:${user.openId}` : `chat:${chatId}`;
  const perRecipient = family.state.rateLimits.hit(recipient, IM_RECIPIENT_LIMIT, false);
  if (!perRecipient.ok) return throttled(c, clock, "open_api", perRecipient.limit, perRecipient.resetSec);

  const now = clock.now();
  const again = typeof uuid === "string"
    ? family.sentMessages.find((m) =>
      m.uuid === uuid && m.appId === caller.appId && now - m.at < UUID_WINDOW_MS
    )
    : undefined;
  const message: SentMessage = again ?? {
    messageId: `om_${randomHex(32)}`,
    at: now,
    appId: caller.appId,
    senderType: caller.kind === "user" ? "user" : "app",
    receiveIdType: idType,
    receiveId,
    user,
    chatId,
    msgType,
    content,
    parsed,
    uuid: typeof uuid === "string" ? uuid : undefined,
  };
  if (!again) family.sentMessages.push(message);
  const sender = caller.kind === "user"
    ? {
      id: caller.user.openId,
      id_type: "open_id",
      sender_type: "user",
      tenant_key: family.directory.tenantKey,
    }
    : { id: caller.appId, id_type: "app_id", sender_type: "app", tenant_key: family.directory.tenantKey };
  return sendJson(c, clock, {
    code: 0,
    msg: "success",
    data: {
      message_id: message.messageId,
      root_id: "",
      parent_id: "",
      msg_type: message.msgType,
      create_time: String(message.at),
      update_time: String(message.at),
      deleted: false,
      updated: false,
      chat_id: message.chatId,
      sender,
      body: { content: message.content },
      mentions: [],
    },
  });
}
