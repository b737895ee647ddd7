/**
 * Checks shared by the IM calls (internal): ids, uuids and content sizes,
 * each failure an {@linkcode ImFieldError} naming the field.
 *
 * @module
 */
import { ImFieldError } from "./im_field_error.ts";

/** How `receive_id` is to be read. */
export type ReceiveIdType = "open_id" | "union_id" | "user_id" | "email" | "chat_id";

/** `receive_id_type`s Feishu accepts. */
export const RECEIVE_ID_TYPES: readonly ReceiveIdType[] = [
  "open_id",
  "union_id",
  "user_id",
  "email",
  "chat_id",
];

/** What an id of each type looks like (prefixes from the id pages of open.feishu.cn/document/home/user-identity-introduction). */
const ID_SHAPES: Record<ReceiveIdType, RegExp> = {
  open_id: /^ou_[0-9A-Za-z]+$/,
  union_id: /^on_[0-9A-Za-z]+$/,
  user_id: /^[0-9A-Za-z_-]{1,64}$/,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  chat_id: /^oc_[0-9A-Za-z]+$/,
};

const ID_LABEL: Record<ReceiveIdType, string> = {
  open_id: "以 ou_ 开头的 open_id",
  union_id: "以 on_ 开头的 union_id",
  user_id: "user_id（字母、数字、_ 或 -）",
  email: "邮箱地址",
  chat_id: "以 oc_ 开头的 chat_id",
};

/** Largest `content` per msg_type, UTF-8 bytes: text 150 KB, card/post 30 KB (create.md). */
export const CONTENT_LIMITS: Readonly<Record<string, number>> = {
  text: 150 * 1024,
  post: 30 * 1024,
  interactive: 30 * 1024,
};

/** Check a recipient: a known `receive_id_type` and an id of that shape. */
export function checkRecipient(type: unknown, id: unknown, field = "receiveId"): void {
  if (typeof type !== "string" || !(RECEIVE_ID_TYPES as readonly string[]).includes(type)) {
    throw new ImFieldError(
      "receiveIdType",
      `unknown receive_id_type ${JSON.stringify(type)}`,
      `receiveIdType 只能是 ${RECEIVE_ID_TYPES.join("、")} 之一。`,
    );
  }
  const t = type as ReceiveIdType;
  if (typeof id !== "string" || !ID_SHAPES[t].test(id)) {
    throw new ImFieldError(field, `not a valid ${t}: ${JSON.stringify(id)}`, `${field} 应为${ID_LABEL[t]}。`);
  }
}

/** Check a message id (`om_…`). */
export function checkMessageId(id: unknown, field = "messageId"): string {
  if (typeof id !== "string" || !/^om_[0-9A-Za-z_]+$/.test(id)) {
    throw new ImFieldError(
      field,
      `not a message id: ${JSON.stringify(id)}`,
      `${field} 应为以 om_ 开头的消息 ID。`,
    );
  }
  return id;
}

/** Check an idempotency key (≤ 50 characters, Feishu de-duplicates it for 1 h). */
export function checkUuid(uuid: unknown): void {
  if (uuid === undefined) return;
  if (typeof uuid !== "string" || uuid === "" || uuid.length > 50) {
    throw new ImFieldError(
      "uuid",
      "uuid must be 1–50 characters",
      "uuid 必须是 1 到 50 个字符的字符串（同一 uuid 1 小时内只发送一次）。",
    );
  }
}

/**
 * Serialise `content` (object or JSON string holding an object) and check
 * its size for `msgType`. Returns the JSON string Feishu expects.
 */
export function contentString(msgType: string, content: unknown): string {
  let text: string;
  if (typeof content === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new ImFieldError(
        "content",
        "content string is not a JSON object",
        "content 必须是 JSON 对象（或其序列化字符串）。",
      );
    }
    text = content;
  } else if (content !== null && typeof content === "object" && !Array.isArray(content)) {
    text = JSON.stringify(content);
  } else {
    throw new ImFieldError(
      "content",
      "content must be an object",
      "content 必须是 JSON 对象（或其序列化字符串）。",
    );
  }
  const limit = CONTENT_LIMITS[msgType];
  const bytes = new TextEncoder().encode(text).length;
  if (limit !== undefined && bytes > limit) {
    throw new ImFieldError(
      "content",
      `${msgType} content is ${bytes} bytes, over ${limit}`,
      `消息内容过大（${Math.ceil(bytes / 1024)} KB，上限 ${limit / 1024} KB），请精简内容后再发送。`,
    );
  }
  return text;
}

/** Check a non-empty string field. */
export function checkText(field: string, value: unknown, what: string, max?: number): string {
  if (typeof value !== "string" || value === "") {
    throw new ImFieldError(field, "must be a non-empty string", `${what}不能为空。`);
  }
  if (max !== undefined && [...value].length > max) {
    throw new ImFieldError(field, `longer than ${max} characters`, `${what}最多 ${max} 个字符。`);
  }
  return value;
}

/** Check an http(s) URL. */
export function checkUrl(field: string, value: unknown): string {
  let ok = false;
  try {
    const u = new URL(String(value));
    ok = typeof value === "string" && (u.protocol === "https:" || u.protocol === "http:");
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new ImFieldError(
      field,
      `not an http(s) URL: ${JSON.stringify(value)}`,
      `${field} 必须是 http:// 或 https:// 开头的链接。`,
    );
  }
  return value as string;
}

/** Check a user id for an @mention: an `ou_…` open_id, or `all` for everyone. */
export function checkMentionId(field: string, id: unknown): string {
  if (typeof id !== "string" || !(id === "all" || ID_SHAPES.open_id.test(id))) {
    throw new ImFieldError(
      field,
      `not an open_id or "all": ${JSON.stringify(id)}`,
      `${field} 应为以 ou_ 开头的 open_id，或 "all"（@所有人）。`,
    );
  }
  return id;
}
