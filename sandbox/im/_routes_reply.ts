/**
 * `POST /open-apis/im/v1/messages/:message_id/reply`
 * (open.feishu.cn/document/server-docs/im-v1/message/reply): `{msg_type,
 * content, reply_in_thread?, uuid?}`, tenant or user token; the same content
 * checks as send (230001, 230025), the same 5 QPS per recipient and uuid
 * de-duplication; a recalled message → 230011; `reply_in_thread` answers a
 * `thread_id`.
 *
 * @module
 */
import { jsonObject } from "../_json_body.ts";
import type { SandboxContext } from "../_env.ts";
import { openApiError, sendJson, throttled } from "../_respond.ts";
import { IM_RECIPIENT_LIMIT } from "../rate_limits.ts";
import { randomHex } from "../events/event_crypto.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import { extraOf, imState } from "./message_state.ts";
import { MSG_TYPES } from "./_routes_send.ts";
import { checkContent, INVALID, prologue, recalled, UUID_WINDOW_MS, wire } from "./_manage_common.ts";

/** Answer a reply. */
export async function reply(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const x = prologue(c, family, { tenant: true, user: true });
  if (x instanceof Response) return x;
  const clock = family.state.clock;
  const st = imState(family);
  const parentExtra = extraOf(st, x.message);
  if (parentExtra.recalledAt !== undefined) return recalled(c, family);
  const body = await jsonObject(c);
  if (!body) {
    return openApiError(c, clock, 400, 230001, INVALID, [{
      field: "body",
      description: "request body is not a valid JSON object",
    }]);
  }
  const { msg_type: msgType, content, uuid, reply_in_thread: inThread } = body;
  if (typeof msgType !== "string" || !(MSG_TYPES as readonly string[]).includes(msgType)) {
    return openApiError(c, clock, 400, 230001, INVALID, [{
      field: "msg_type",
      description: "msg_type is invalid",
    }]);
  }
  const parsed = checkContent(c, family, msgType, content);
  if (parsed instanceof Response) return parsed;
  if (uuid !== undefined && (typeof uuid !== "string" || uuid.length > 50)) {
    return openApiError(c, clock, 400, 230001, INVALID, [{
      field: "uuid",
      description: "uuid must be a string of at most 50 characters",
    }]);
  }
  if (inThread !== undefined && typeof inThread !== "boolean") {
    return openApiError(c, clock, 400, 230001, INVALID, [{
      field: "reply_in_thread",
      description: "reply_in_thread must be a boolean",
    }]);
  }
  const recipient = x.message.user ? `user:${x.message.user.openId}` : `chat:${x.message.chatId}`;
  const perRecipient = family.state.rateLimits.hit(recipient, IM_RECIPIENT_LIMIT, false);
  if (!perRecipient.ok) return throttled(c, clock, "open_api", perRecipient.limit, perRecipient.resetSec);
  const now = clock.now();
  const again = typeof uuid === "string"
    ? family.sentMessages.find((m) =>
      m.uuid === uuid && m.appId === x.caller.appId && now - m.at < UUID_WINDOW_MS
    )
    : undefined;
  let message = again;
  if (!message) {
    message = {
      messageId: `om_${randomHex(32)}`,
      at: now,
      appId: x.caller.appId,
      senderType: x.caller.kind === "user" ? "user" : "app",
      receiveIdType: x.message.receiveIdType,
      receiveId: x.message.receiveId,
      user: x.caller.kind === "user" ? x.caller.user : x.message.user,
      chatId: x.message.chatId,
      msgType,
      content: content as string,
      parsed,
      uuid: typeof uuid === "string" ? uuid : undefined,
    };
    family.sentMessages.push(message);
    const e = extraOf(st, message);
    e.parentId = x.message.messageId;
    e.rootId = parentExtra.rootId ?? x.message.messageId;
    if (inThread === true || parentExtra.threadId) {
      parentExtra.threadId ??= `omt_${randomHex(12)}`;
      e.threadId = parentExtra.threadId;
    }
  }
  return sendJson(c, clock, { code: 0, msg: "success", data: wire(family, message) });
}
