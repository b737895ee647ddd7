/**
 * Shared steps of the IM message-management routes (internal): caller and
 * message lookup, JSON body, content checks, the message wire shape.
 *
 * @module
 */
import type { SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { openApiError } from "../_respond.ts";
import { type Caller, requireCaller } from "../auth/_bearer.ts";
import type { MeetingFamily, SentMessage } from "../scenarios/meeting/family.ts";
import { extraOf, imState } from "./message_state.ts";
import { CARD_LIMIT_BYTES, mentionFields, TEXT_LIMIT_BYTES } from "./_routes_send.ts";

/** uuid de-duplication window (1 h). */
export const UUID_WINDOW_MS = 3_600_000;
/** Message of 230001. */
export const INVALID = "Your request contains an invalid request parameter.";

/** A checked call on an existing message. */
export type Ctx = { c: SandboxContext; family: MeetingFamily; caller: Caller; message: SentMessage };

/** Auth, rate limit and message lookup shared by the four endpoints. */
export function prologue(
  c: SandboxContext,
  family: MeetingFamily,
  tokens: { tenant: boolean; user: boolean },
): Ctx | Response {
  const caller = requireCaller(c, family, tokens);
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, family.state, caller.appId);
  if (limited) return limited;
  const id = c.req.param("message_id") ?? "";
  // Batch messages (`bm-…`) are managed by the batch APIs only: unknown here.
  const message = id.startsWith("bm-") ? undefined : family.sentMessages.find((m) => m.messageId === id);
  if (!message) {
    return openApiError(c, family.state.clock, 400, 230001, INVALID, [
      { field: "message_id", description: "message_id is invalid or not found" },
    ]);
  }
  return { c, family, caller, message };
}

/** The caller sent the message (same app, same identity kind). */
export const isSender = (x: Ctx) =>
  x.message.appId === x.caller.appId &&
  (x.caller.kind === "user"
    ? x.message.senderType === "user" && x.message.user !== undefined
    : x.message.senderType === "app");

/** Check `content` for `msgType`: a JSON object string within the size limit; the parsed value or a Response. */
export function checkContent(
  c: SandboxContext,
  family: MeetingFamily,
  msgType: string,
  content: unknown,
): unknown | Response {
  const clock = family.state.clock;
  if (typeof content !== "string") {
    return openApiError(c, clock, 400, 230001, INVALID, [{
      field: "content",
      description: "content must be a JSON string",
    }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return openApiError(c, clock, 400, 230001, INVALID, [{
      field: "content",
      description: "content is not a JSON object string",
    }]);
  }
  const limit = msgType === "interactive" || msgType === "post" ? CARD_LIMIT_BYTES : TEXT_LIMIT_BYTES;
  if (new TextEncoder().encode(content).length > limit) {
    return openApiError(c, clock, 400, 230025, "The length of the message content reaches its limit.");
  }
  return parsed;
}

/** 230011. */
export const recalled = (c: SandboxContext, family: MeetingFamily) =>
  openApiError(c, family.state.clock, 400, 230011, "The message is recalled.");

/** The message as im/v1 answers it. */
export function wire(family: MeetingFamily, m: SentMessage): Record<string, unknown> {
  const e = extraOf(imState(family), m);
  const sender = m.senderType === "user" && m.user
    ? { id: m.user.openId, id_type: "open_id", sender_type: "user", tenant_key: family.directory.tenantKey }
    : { id: m.appId, id_type: "app_id", sender_type: "app", tenant_key: family.directory.tenantKey };
  return {
    message_id: m.messageId,
    root_id: e.rootId ?? "",
    parent_id: e.parentId ?? "",
    ...(e.threadId ? { thread_id: e.threadId } : {}),
    msg_type: m.msgType,
    create_time: String(m.at),
    update_time: String(m.at),
    deleted: e.recalledAt !== undefined,
    updated: e.edits > 0 || e.updates > 0,
    chat_id: m.chatId,
    sender,
    ...mentionFields(m, family),
  };
}
