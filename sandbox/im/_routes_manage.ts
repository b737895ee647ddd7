/**
 * Reply, recall, edit and card update of messages the sandbox's bots sent
 * (the meeting family's `sentMessages`), with the codes of the official
 * pages (all HTTP 400):
 *
 * - `POST /open-apis/im/v1/messages/:message_id/reply`
 *   (open.feishu.cn/document/server-docs/im-v1/message/reply): `{msg_type,
 *   content, reply_in_thread?, uuid?}`, tenant or user token; same content
 *   checks as send (230001, 230025) and the same 5 QPS per recipient;
 *   a recalled message → 230011; `reply_in_thread` answers a `thread_id`.
 * - `DELETE /open-apis/im/v1/messages/:message_id`
 *   (…/im-v1/message/delete): only the sender's own messages (230026),
 *   within the admin's recall window (230009, `imState().recallWindowMs`),
 *   not twice (230110).
 * - `PUT /open-apis/im/v1/messages/:message_id` (…/im-v1/message/update):
 *   tenant token only; text/post only (230054); the sender only (230071);
 *   ≤ 20 edits (230072); edit window (230075); recalled → 230011.
 * - `PATCH /open-apis/im/v1/messages/:message_id`
 *   (…/im-v1/message-card/patch): `{content}` card JSON string, the same
 *   identity as the sender; cards only; `update_multi: true` declared in the
 *   card before and after (2.0 cards always are); < 14 days (230031);
 *   ≤ 30 KB (230025); 5 QPS per message (230020); recalled → 230011.
 *
 * ASSUMPTIONS (UNCONFIRMED register): an unknown `message_id` → 230001 with
 * a `field_violations` entry; PATCH by another identity → 230027; a card
 * not declaring `update_multi` → 230001; PATCH of a non-card → 230054;
 * PUT with another `msg_type` than the message's → 230001.
 *
 * @module
 */
import { jsonObject } from "../_json_body.ts";
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { IM_CARD_MESSAGE_LIMIT } from "../rate_limits.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import { IM_MESSAGE_PATH, IM_REPLY_PATH } from "./endpoints.ts";
import { CARD_UPDATE_WINDOW_MS, extraOf, imState, MAX_EDITS } from "./message_state.ts";
import { checkContent, INVALID, isSender, prologue, recalled, wire } from "./_manage_common.ts";
import { reply } from "./_routes_reply.ts";

/** Register reply, recall, edit and card update. */
export function registerImManageRoutes(app: SandboxApp, family: MeetingFamily): void {
  app.post(IM_REPLY_PATH, endpoint(family.state, "im_message_reply"), (c) => reply(c, family));
  app.delete(IM_MESSAGE_PATH, endpoint(family.state, "im_message_delete"), (c) => recall(c, family));
  app.put(IM_MESSAGE_PATH, endpoint(family.state, "im_message_update"), (c) => edit(c, family));
  app.patch(IM_MESSAGE_PATH, endpoint(family.state, "im_message_patch"), (c) => patchCard(c, family));
}

function recall(c: SandboxContext, family: MeetingFamily): Response {
  const x = prologue(c, family, { tenant: true, user: true });
  if (x instanceof Response) return x;
  const clock = family.state.clock;
  const st = imState(family);
  const e = extraOf(st, x.message);
  if (!isSender(x)) return openApiError(c, clock, 400, 230026, "No permission to recall this message.");
  if (e.recalledAt !== undefined) {
    return openApiError(c, clock, 400, 230110, "Action unavailable as the message has been deleted.");
  }
  if (clock.now() - x.message.at > st.recallWindowMs) {
    return openApiError(c, clock, 400, 230009, "Message has expired when recall message.");
  }
  e.recalledAt = clock.now();
  return sendJson(c, clock, { code: 0, msg: "success", data: {} });
}

async function edit(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const x = prologue(c, family, { tenant: true, user: false });
  if (x instanceof Response) return x;
  const clock = family.state.clock;
  const st = imState(family);
  const e = extraOf(st, x.message);
  if (e.recalledAt !== undefined) return recalled(c, family);
  if (x.message.msgType !== "text" && x.message.msgType !== "post") {
    return openApiError(c, clock, 400, 230054, "This operation is not supported for this message type.");
  }
  if (!isSender(x)) {
    return openApiError(c, clock, 400, 230071, "The operator is not the sender of the message.");
  }
  const body = await jsonObject(c);
  if (!body) {
    return openApiError(c, clock, 400, 230001, INVALID, [{
      field: "body",
      description: "request body is not a valid JSON object",
    }]);
  }
  const { msg_type: msgType, content } = body;
  if (msgType !== "text" && msgType !== "post") {
    return openApiError(c, clock, 400, 230001, INVALID, [{
      field: "msg_type",
      description: "msg_type must be text or post",
    }]);
  }
  if (msgType !== x.message.msgType) {
    return openApiError(c, clock, 400, 230001, INVALID, [{
      field: "msg_type",
      description: "msg_type differs from the message's",
    }]);
  }
  const parsed = checkContent(c, family, msgType, content);
  if (parsed instanceof Response) return parsed;
  if (e.edits >= MAX_EDITS) {
    return openApiError(
      c,
      clock,
      400,
      230072,
      "The message has reached the number of times it can be edited.",
    );
  }
  if (clock.now() - x.message.at > st.editWindowMs) {
    return openApiError(c, clock, 400, 230075, "The message has exceeded the time that can be edited.");
  }
  e.edits++;
  x.message.content = content as string;
  x.message.parsed = parsed;
  return sendJson(c, clock, { code: 0, msg: "success", data: wire(family, x.message) });
}

function sharedCard(card: unknown): boolean {
  const c = card as { schema?: unknown; config?: { update_multi?: unknown } } | null;
  if (!c || typeof c !== "object") return false;
  if (c.schema === "2.0") return c.config?.update_multi !== false;
  return c.config?.update_multi === true;
}

async function patchCard(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const x = prologue(c, family, { tenant: true, user: true });
  if (x instanceof Response) return x;
  const clock = family.state.clock;
  const st = imState(family);
  const e = extraOf(st, x.message);
  if (e.recalledAt !== undefined) return recalled(c, family);
  if (x.message.msgType !== "interactive") {
    return openApiError(c, clock, 400, 230054, "This operation is not supported for this message type.");
  }
  if (!isSender(x)) return openApiError(c, clock, 400, 230027, "Lack of necessary permissions.");
  const body = await jsonObject(c);
  if (!body) {
    return openApiError(c, clock, 400, 230001, INVALID, [{
      field: "body",
      description: "request body is not a valid JSON object",
    }]);
  }
  const parsed = checkContent(c, family, "interactive", body.content);
  if (parsed instanceof Response) return parsed;
  if (!sharedCard(x.message.parsed) || !sharedCard(parsed)) {
    return openApiError(c, clock, 400, 230001, INVALID, [
      {
        field: "content",
        description: "config.update_multi must be true in the card before and after the update",
      },
    ]);
  }
  if (clock.now() - x.message.at > CARD_UPDATE_WINDOW_MS) {
    return openApiError(c, clock, 400, 230031, "Message can only be modified within 14 days after sending.");
  }
  const perMessage = family.state.rateLimits.hit(x.message.messageId, IM_CARD_MESSAGE_LIMIT, false);
  if (!perMessage.ok) {
    return openApiError(c, clock, 400, 230020, "This operation triggers the frequency limit.");
  }
  e.updates++;
  x.message.content = body.content as string;
  x.message.parsed = parsed;
  return sendJson(c, clock, { code: 0, msg: "success", data: {} });
}
