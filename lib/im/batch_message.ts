/**
 * Feishu's own batch send (`POST /open-apis/message/v4/batch_send/`,
 * open.feishu.cn/document/server-docs/im-v1/batch_message/send-messages-in-batches):
 * one asynchronous request for up to 200 ids per list (departments include
 * their sub-departments), answered with a `bm-…` id and the invalid ids.
 * Use {@linkcode batchSend} instead when you need a result per recipient,
 * replies or edits (batch messages cannot be edited, replied to or updated).
 *
 * @module
 */
import type { LarkHttp } from "../http/lark_http.ts";
import { ImFieldError } from "./im_field_error.ts";
import { checkRecipient, contentString } from "./_validate.ts";

/** Who receives a batch message (at least one non-empty list). */
export interface BatchTargets {
  /** `ou_…` ids. */
  openIds?: string[];
  /** user ids. */
  userIds?: string[];
  /** `on_…` ids. */
  unionIds?: string[];
  /** department_id or open_department_id (not the root `0`). */
  departmentIds?: string[];
}

/** Answer of a batch send. */
export interface BatchMessage {
  /** `bm-…`. */
  messageId: string;
  /** Ids Feishu refused, by list. */
  invalid: { openIds: string[]; userIds: string[]; unionIds: string[]; departmentIds: string[] };
}

/** `msg_type`s of batch send. */
export type BatchMsgType = "text" | "image" | "post" | "share_chat" | "interactive";

const TYPES: readonly BatchMsgType[] = ["text", "image", "post", "share_chat", "interactive"];
const MAX = 200;

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

/**
 * Send one message to many users and departments with Feishu's batch API
 * (tenant token, scopes `im:message:send_multi_users` / `..._depts`).
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * const r = await sendBatchMessage(http, { departmentIds: ["od-xxx"] }, "text", { text: "全员通知" });
 * console.log(r.messageId, r.invalid.departmentIds);
 * ```
 */
export async function sendBatchMessage(
  http: LarkHttp,
  targets: BatchTargets,
  msgType: BatchMsgType,
  content: object,
  options: { signal?: AbortSignal } = {},
): Promise<BatchMessage> {
  if (!TYPES.includes(msgType)) {
    throw new ImFieldError(
      "msgType",
      `msg_type ${msgType} not allowed`,
      `批量发送只支持 ${TYPES.join("、")}。`,
    );
  }
  contentString(msgType, content);
  const fields = [
    ["openIds", "open_ids", "open_id"],
    ["userIds", "user_ids", "user_id"],
    ["unionIds", "union_ids", "union_id"],
  ] as const;
  const body: Record<string, unknown> = { msg_type: msgType };
  body[msgType === "interactive" ? "card" : "content"] = content;
  let total = 0;
  for (const [key, wire, type] of fields) {
    const ids = targets[key];
    if (!ids?.length) continue;
    if (ids.length > MAX) {
      throw new ImFieldError(key, `${ids.length} ids, over ${MAX}`, `${key} 最多 ${MAX} 个。`);
    }
    ids.forEach((id, i) => checkRecipient(type, id, `${key}[${i}]`));
    body[wire] = ids;
    total += ids.length;
  }
  const deps = targets.departmentIds ?? [];
  if (deps.length > MAX) {
    throw new ImFieldError(
      "departmentIds",
      `${deps.length} ids, over ${MAX}`,
      `departmentIds 最多 ${MAX} 个。`,
    );
  }
  deps.forEach((id, i) => {
    if (typeof id !== "string" || id === "" || id === "0") {
      throw new ImFieldError(
        `departmentIds[${i}]`,
        "invalid department id",
        "部门 ID 不能为空，也不能是根部门 0。",
      );
    }
  });
  if (deps.length) body.department_ids = deps;
  if (total + deps.length === 0) {
    throw new ImFieldError(
      "targets",
      "no recipients",
      "至少需要一个 openIds、userIds、unionIds 或 departmentIds。",
    );
  }
  const res = await http.request<Record<string, unknown>>({
    method: "POST",
    path: "/open-apis/message/v4/batch_send/",
    body,
    bucket: "im_batch_send",
    step: "im_batch_send",
    signal: options.signal,
    ids: { msg_type: msgType },
  });
  const d = res.data ?? {};
  return {
    messageId: String(d.message_id ?? ""),
    invalid: {
      openIds: list(d.invalid_open_ids),
      userIds: list(d.invalid_user_ids),
      unionIds: list(d.invalid_union_ids),
      departmentIds: list(d.invalid_department_ids),
    },
  };
}
