import type { AuthProvider } from "../auth/auth_provider.ts";
import { BadRequestError } from "../errors/bad_request_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";
import type { RateLimiter } from "../rate_limit/rate_limiter.ts";

/** How `receive_id` is to be read. */
export type ReceiveIdType = "open_id" | "union_id" | "user_id" | "email" | "chat_id";

/** Message types of `im/v1/messages`. */
export type MsgType =
  | "text"
  | "post"
  | "image"
  | "file"
  | "audio"
  | "media"
  | "sticker"
  | "interactive"
  | "share_chat"
  | "share_user";

/** Rate bucket of message sending, with its documented app budget (1000/min & 50/s). */
export const IM_BUCKETS = { im_send: { perSecond: 50, perMinute: 1000 } } as const;

/** A message to send. */
export interface SendMessageInput {
  /** Recipient id. */
  receiveId: string;
  /** How `receiveId` is to be read (always explicit). */
  receiveIdType: ReceiveIdType;
  /** Message type. */
  msgType: MsgType;
  /** Content: an object (serialised here) or an already serialised JSON string. */
  content: string | object;
  /** Idempotency key (≤ 50 chars, Feishu de-duplicates for 1 h); default a random UUID per call. */
  uuid?: string;
}

/** A sent message. */
export interface SentMessage {
  /** `om_…`. */
  messageId: string;
  /** Chat it went to. */
  chatId?: string;
  /** Creation time, ms epoch. */
  createTimeMs?: number;
  /** Message type. */
  msgType?: string;
}

/** Options of {@linkcode MessageApi}. */
export interface MessageApiOptions {
  /**
   * Limiter for Feishu's per-recipient budget (5 QPS per user and per chat);
   * one bucket per recipient is created on it as needed. Default none.
   */
  limiter?: RateLimiter;
  /** Per-recipient rate (default 5/s). */
  perRecipientPerSecond?: number;
}

/** Options of one call. */
export interface SendOptions {
  /** Credentials (default the client's, normally the app's tenant token: the bot sends). */
  auth?: AuthProvider;
  /** Cancel the call. */
  signal?: AbortSignal;
  /** Business ids for logs. */
  ids?: Record<string, unknown>;
}

const LIMITS: Partial<Record<MsgType, number>> = {
  text: 150 * 1024,
  post: 30 * 1024,
  interactive: 30 * 1024,
};

/**
 * Sends IM messages: `POST /open-apis/im/v1/messages?receive_id_type=…` with
 * `{receive_id, msg_type, content (JSON string), uuid}` in the `im_send`
 * bucket, after an optional per-recipient 5/s slot. Oversized content is
 * refused before sending (text 150 KB, card/post 30 KB).
 *
 * @example
 * ```ts
 * const im = new MessageApi(http);
 * await im.sendCard("open_id", "ou_xxx", successCard({ fileName, paths }), { uuid: `job-${jobId}-done` });
 * ```
 */
export class MessageApi {
  #http: LarkHttp;
  #o: MessageApiOptions;

  /** Use `http` (normally authenticated with the app's tenant token). */
  constructor(http: LarkHttp, options: MessageApiOptions = {}) {
    this.#http = http;
    this.#o = options;
  }

  /** Send a message. */
  async send(input: SendMessageInput, o: SendOptions = {}): Promise<SentMessage> {
    const content = typeof input.content === "string" ? input.content : JSON.stringify(input.content);
    const bytes = new TextEncoder().encode(content).length;
    const limit = LIMITS[input.msgType];
    if (limit !== undefined && bytes > limit) {
      throw new BadRequestError(`${input.msgType} content is ${bytes} bytes, over ${limit}`, {
        hint: `消息内容过大（${Math.ceil(bytes / 1024)} KB，上限 ${limit / 1024} KB），请精简内容后再发送。`,
      });
    }
    const uuid = input.uuid ?? crypto.randomUUID();
    if (uuid.length > 50) {
      throw new BadRequestError("uuid longer than 50 characters", { hint: "消息 uuid 不能超过 50 个字符。" });
    }
    const limiter = this.#o.limiter;
    if (limiter) {
      const bucket = `im_send_to:${input.receiveIdType}:${input.receiveId}`;
      if (!limiter.stats(bucket)) limiter.define(bucket, { perSecond: this.#o.perRecipientPerSecond ?? 5 });
      await limiter.acquire([bucket], o.signal);
    }
    const res = await this.#http.request<Record<string, unknown>>({
      method: "POST",
      path: "/open-apis/im/v1/messages",
      query: { receive_id_type: input.receiveIdType },
      body: { receive_id: input.receiveId, msg_type: input.msgType, content, uuid },
      auth: o.auth,
      bucket: "im_send",
      step: "im_send",
      signal: o.signal,
      ids: { msg_type: input.msgType, ...o.ids },
    });
    const d = res.data ?? {};
    const created = Number(d.create_time);
    return {
      messageId: String(d.message_id ?? ""),
      chatId: typeof d.chat_id === "string" ? d.chat_id : undefined,
      createTimeMs: Number.isFinite(created) ? created : undefined,
      msgType: typeof d.msg_type === "string" ? d.msg_type : undefined,
    };
  }

  /** Send an interactive card (any card JSON object, e.g. from `successCard`). */
  sendCard(
    receiveIdType: ReceiveIdType,
    receiveId: string,
    cardJson: object,
    o: SendOptions & { uuid?: string } = {},
  ): Promise<SentMessage> {
    return this.send(
      { receiveIdType, receiveId, msgType: "interactive", content: cardJson, uuid: o.uuid },
      o,
    );
  }

  /** Send a plain text message. */
  sendText(
    receiveIdType: ReceiveIdType,
    receiveId: string,
    text: string,
    o: SendOptions & { uuid?: string } = {},
  ): Promise<SentMessage> {
    return this.send({ receiveIdType, receiveId, msgType: "text", content: { text }, uuid: o.uuid }, o);
  }
}
