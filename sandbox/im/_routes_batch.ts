/**
 * `POST /open-apis/message/v4/batch_send/`
 * (open.feishu.cn/document/server-docs/im-v1/batch_message/send-messages-in-batches):
 * tenant token; `msg_type` ∈ text, image, post, share_chat, interactive;
 * `content` a JSON **object** (`card` for interactive); targets `open_ids`,
 * `user_ids`, `union_ids`, `department_ids` (each ≤ 200, at least one;
 * departments include their sub-departments; root `0` not allowed).
 * Answers `data.message_id` (`bm-…`) and the `invalid_*_ids` lists; every
 * valid user gets one message in `sentMessages` (with that `bm-` id).
 * Parameter errors → 10003 with HTTP 200, as the page lists them; content
 * over 150 KB (text) / 30 KB (post, card) → 10003 too (ASSUMPTION: the page
 * gives the limits but no code for them).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import type { SandboxUser } from "../contact/directory.ts";
import { randomHex, sha256Hex } from "../events/event_crypto.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import { IM_BATCH_SEND_PATH } from "./endpoints.ts";
import { CARD_LIMIT_BYTES, TEXT_LIMIT_BYTES } from "./_routes_send.ts";

/** `msg_type`s of batch send. */
export const BATCH_MSG_TYPES = ["text", "image", "post", "share_chat", "interactive"] as const;
/** Most ids per target list. */
export const BATCH_MAX_IDS = 200;

/** Register batch send (with and without the documented trailing slash). */
export function registerImBatchRoutes(app: SandboxApp, family: MeetingFamily): void {
  const handler = (c: SandboxContext) => batchSend(c, family);
  app.post(IM_BATCH_SEND_PATH, endpoint(family.state, "im_batch_send"), handler);
  app.post(IM_BATCH_SEND_PATH.replace(/\/$/, ""), endpoint(family.state, "im_batch_send"), handler);
}

const LISTS = [
  ["open_ids", "open_id"],
  ["user_ids", "user_id"],
  ["union_ids", "union_id"],
] as const;

async function batchSend(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const clock = family.state.clock;
  const caller = requireCaller(c, family, { tenant: true, user: false });
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, family.state, caller.appId);
  if (limited) return limited;
  const invalid = (why: string) => sendJson(c, clock, { code: 10003, msg: `Invalid parameter: ${why}` });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(await c.req.text());
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new TypeError("not an object");
  } catch {
    return invalid("body is not a JSON object");
  }
  const msgType = body.msg_type;
  if (typeof msgType !== "string" || !(BATCH_MSG_TYPES as readonly string[]).includes(msgType)) {
    return invalid("msg_type");
  }
  const payload = msgType === "interactive" ? body.card : body.content;
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) {
    return invalid(msgType === "interactive" ? "card must be an object" : "content must be an object");
  }
  const content = JSON.stringify(payload);
  const limit = msgType === "interactive" || msgType === "post" ? CARD_LIMIT_BYTES : TEXT_LIMIT_BYTES;
  if (new TextEncoder().encode(content).length > limit) return invalid("content too long");
  const lists: Record<string, string[]> = {};
  for (const key of ["open_ids", "user_ids", "union_ids", "department_ids"]) {
    const v = body[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string") || v.length > BATCH_MAX_IDS) {
      return invalid(`${key} must be a list of at most ${BATCH_MAX_IDS} strings`);
    }
    lists[key] = v as string[];
  }
  if (!Object.values(lists).some((l) => l.length)) {
    return invalid("no open_ids, user_ids, union_ids or department_ids");
  }

  const targets = new Map<string, SandboxUser>();
  const invalidIds: Record<string, string[]> = {
    invalid_department_ids: [],
    invalid_open_ids: [],
    invalid_user_ids: [],
    invalid_union_ids: [],
  };
  for (const [key, type] of LISTS) {
    for (const id of lists[key] ?? []) {
      const u = family.directory.user(id, type);
      if (u) targets.set(u.openId, u);
      else invalidIds[`invalid_${key}`].push(id);
    }
  }
  for (const id of lists.department_ids ?? []) {
    const d = id === "0" ? undefined : family.directory.department(id);
    if (!d) {
      invalidIds.invalid_department_ids.push(id);
      continue;
    }
    for (const dep of [d, ...family.directory.children(d.departmentId, true)]) {
      for (const u of family.directory.members(dep.departmentId)) targets.set(u.openId, u);
    }
  }
  const messageId = `bm-${randomHex(32)}`;
  const now = clock.now();
  for (const user of targets.values()) {
    family.sentMessages.push({
      messageId,
      at: now,
      appId: caller.appId,
      senderType: "app",
      receiveIdType: "open_id",
      receiveId: user.openId,
      user,
      chatId: `oc_${(await sha256Hex(`${caller.appId}/${user.openId}`)).slice(0, 32)}`,
      msgType,
      content,
      parsed: payload,
    });
  }
  return sendJson(c, clock, { code: 0, msg: "ok", data: { message_id: messageId, ...invalidIds } });
}
