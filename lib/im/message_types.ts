/**
 * Types of the messaging client: message types, inputs, results, options and
 * the app's rate buckets.
 *
 * @module
 */
import type { AuthProvider } from "../auth/auth_provider.ts";
import type { RateLimiter } from "../rate_limit/rate_limiter.ts";
import type { ReceiveIdType } from "./_validate.ts";

export type { ReceiveIdType };

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

/** Every message type `send` accepts (`msg_type`). */
export const MSG_TYPES: readonly MsgType[] = [
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
];

/**
 * Rate buckets of the IM calls with their documented app budget (each API
 * 1000/min & 50/s per app). Define them on the limiter shared with
 * `LarkHttp` ({@linkcode MessageApi} does so when given that limiter).
 */
export const IM_BUCKETS = {
  im_send: { perSecond: 50, perMinute: 1000 },
  im_reply: { perSecond: 50, perMinute: 1000 },
  im_recall: { perSecond: 50, perMinute: 1000 },
  im_edit: { perSecond: 50, perMinute: 1000 },
  im_card_update: { perSecond: 50, perMinute: 1000 },
  im_image_upload: { perSecond: 50, perMinute: 1000 },
  im_file_upload: { perSecond: 50, perMinute: 1000 },
  im_batch_send: { perSecond: 50, perMinute: 1000 },
} as const;

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

/** A sent (or replied, or edited) message. */
export interface SentMessage {
  /** `om_…`. */
  messageId: string;
  /** Chat it went to. */
  chatId?: string;
  /** Creation time, ms epoch. */
  createTimeMs?: number;
  /** Message type. */
  msgType?: string;
  /** Thread (`omt_…`), for replies in a thread. */
  threadId?: string;
  /** Our request id of the call (quote it with Feishu's log id). */
  requestId?: string;
}

/** A call that answers nothing but its request id (recall, card update). */
export interface MessageAck {
  /** Our request id of the call (quote it with Feishu's log id). */
  requestId: string;
}

/** An uploaded image. */
export interface UploadedImage {
  /** `img_…`, for image messages and `PostBuilder.image`. */
  imageKey: string;
  /** Our request id of the upload. */
  requestId: string;
}

/** An uploaded file. */
export interface UploadedFile {
  /** `file_…`, for file, audio and media messages. */
  fileKey: string;
  /** Our request id of the upload. */
  requestId: string;
}

/** Options of {@linkcode MessageApi}. */
export interface MessageApiOptions {
  /**
   * Limiter for Feishu's per-recipient budget (5 QPS per user and per chat),
   * per-card update budget (5 QPS per message) and the app budgets of
   * {@linkcode IM_BUCKETS} (50/s). Default the `LarkHttp`'s limiter (then
   * every bucket of a call is granted in one step), else a private one.
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
  /** Idempotency key (≤ 50 chars). */
  uuid?: string;
}

/** Options of {@linkcode MessageApi.reply}. */
export interface ReplyOptions extends SendOptions {
  /** Reply in a thread (话题) rather than quoting in the chat. */
  replyInThread?: boolean;
}
