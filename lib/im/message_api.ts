import type { LarkHttp } from "../http/lark_http.ts";
import { RateLimiter } from "../rate_limit/rate_limiter.ts";
import { validateCardV2 } from "./card_builder.ts";
import { ImFieldError } from "./im_field_error.ts";
import {
  IM_BUCKETS,
  type MessageAck,
  type MessageApiOptions,
  type MsgType,
  type ReceiveIdType,
  type ReplyOptions,
  type SendMessageInput,
  type SendOptions,
  type SentMessage,
  type UploadedFile,
  type UploadedImage,
} from "./message_types.ts";
export * from "./message_types.ts";
export type { FileUploadOptions, ImageUploadOptions } from "./_uploads.ts";
import {
  type FileUploadOptions,
  type ImageUploadOptions,
  uploadFileWith,
  uploadImageWith,
  uploadLocal,
} from "./_uploads.ts";
import { checkMsgType, checkUpdatableCard, sent } from "./_message_helpers.ts";
import { checkMessageId, checkRecipient, checkUuid, contentString } from "./_validate.ts";

/**
 * The bot's messaging (`im/v1`), every input checked before any request
 * ({@linkcode ImFieldError} naming the field): send, reply (also in a
 * thread), recall, edit text/post, update a card, upload images and files
 * and send them from a local path. Sends to one recipient are spaced at
 * 5/s; card updates to one message at 5/s.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import type { RateLimiter } from "../rate_limit/rate_limiter.ts";
 *
 * declare const http: LarkHttp;
 * declare const limiter: RateLimiter;
 * const im = new MessageApi(http, { limiter });
 * const m = await im.sendText("open_id", "ou_xxx", "你好");
 * await im.reply(m.messageId, "text", { text: "补充说明" }, { replyInThread: true });
 * ```
 */
export class MessageApi {
  #http: LarkHttp;
  #limiter: RateLimiter;
  #perRecipient: number;
  #shared: boolean;

  /** Use `http` (normally authenticated with the app's tenant token). */
  constructor(http: LarkHttp, options: MessageApiOptions = {}) {
    this.#http = http;
    this.#limiter = options.limiter ?? http.limiter ?? new RateLimiter();
    this.#perRecipient = options.perRecipientPerSecond ?? 5;
    this.#shared = this.#limiter === http.limiter;
    for (const [name, spec] of Object.entries(IM_BUCKETS)) {
      if (!this.#limiter.has(name)) this.#limiter.define(name, spec);
    }
  }

  /**
   * Define a 5/s bucket (per recipient or per card) on the limiter; it is
   * granted together with the app buckets in the request's one acquire.
   */
  #bucket(name: string): string {
    if (!this.#limiter.has(name)) this.#limiter.define(name, { perSecond: this.#perRecipient });
    return name;
  }

  /** The request's buckets when the HTTP client has no limiter of its own: taken here in one step. */
  async #own(names: string[], signal?: AbortSignal): Promise<string[]> {
    if (this.#shared) return names;
    await this.#limiter.acquire(names, signal);
    return [];
  }

  /** Send a message (`POST /open-apis/im/v1/messages`). */
  async send(input: SendMessageInput, o: SendOptions = {}): Promise<SentMessage> {
    checkRecipient(input.receiveIdType, input.receiveId);
    const msgType = checkMsgType(input.msgType);
    if (
      msgType === "interactive" && typeof input.content === "object" &&
      (input.content as { schema?: unknown }).schema !== undefined
    ) {
      validateCardV2(input.content);
    }
    const content = contentString(msgType, input.content);
    const uuid = input.uuid ?? o.uuid ?? crypto.randomUUID();
    checkUuid(uuid);
    const extraBuckets = await this.#own([
      this.#bucket(`im_send_to:${input.receiveIdType}:${input.receiveId}`),
    ], o.signal);
    const res = await this.#http.request<Record<string, unknown>>({
      method: "POST",
      path: "/open-apis/im/v1/messages",
      query: { receive_id_type: input.receiveIdType },
      body: { receive_id: input.receiveId, msg_type: msgType, content, uuid },
      auth: o.auth,
      bucket: "im_send",
      extraBuckets,
      step: "im_send",
      signal: o.signal,
      ids: { msg_type: msgType, ...o.ids },
    });
    return sent(res.data ?? {}, res.requestId);
  }

  /** Send an interactive card (a 2.0 card from `CardBuilder`, or any card JSON object). */
  async sendCard(
    receiveIdType: ReceiveIdType,
    receiveId: string,
    cardJson: object,
    o: SendOptions = {},
  ): Promise<SentMessage> {
    return await this.send(
      { receiveIdType, receiveId, msgType: "interactive", content: cardJson, uuid: o.uuid },
      o,
    );
  }

  /** Send a plain text message (use `textMessage` for @mentions). */
  async sendText(
    receiveIdType: ReceiveIdType,
    receiveId: string,
    text: string | { text: string },
    o: SendOptions = {},
  ): Promise<SentMessage> {
    const content = typeof text === "string" ? { text } : text;
    if (typeof content.text !== "string" || content.text === "") {
      throw new ImFieldError("text", "empty text", "文本消息内容不能为空。");
    }
    return await this.send({ receiveIdType, receiveId, msgType: "text", content, uuid: o.uuid }, o);
  }

  /** Send a rich-text message (content from `PostBuilder`). */
  async sendPost(
    receiveIdType: ReceiveIdType,
    receiveId: string,
    post: object,
    o: SendOptions = {},
  ): Promise<SentMessage> {
    return await this.send({ receiveIdType, receiveId, msgType: "post", content: post, uuid: o.uuid }, o);
  }

  /** Reply to a message (`POST …/messages/:id/reply`), optionally in a thread. */
  async reply(
    messageId: string,
    msgType: MsgType,
    content: string | object,
    o: ReplyOptions = {},
  ): Promise<SentMessage> {
    checkMessageId(messageId);
    const type = checkMsgType(msgType);
    const body: Record<string, unknown> = {
      msg_type: type,
      content: contentString(type, content),
      uuid: o.uuid ?? crypto.randomUUID(),
    };
    checkUuid(body.uuid);
    if (o.replyInThread !== undefined) body.reply_in_thread = o.replyInThread;
    const res = await this.#http.request<Record<string, unknown>>({
      method: "POST",
      path: `/open-apis/im/v1/messages/${messageId}/reply`,
      body,
      auth: o.auth,
      bucket: "im_reply",
      step: "im_reply",
      signal: o.signal,
      ids: { message_id: messageId, msg_type: type, ...o.ids },
    });
    return sent(res.data ?? {}, res.requestId);
  }

  /** Recall (withdraw) a message the bot sent (`DELETE …/messages/:id`). */
  async recall(messageId: string, o: SendOptions = {}): Promise<MessageAck> {
    checkMessageId(messageId);
    const { requestId } = await this.#http.request({
      method: "DELETE",
      path: `/open-apis/im/v1/messages/${messageId}`,
      auth: o.auth,
      bucket: "im_recall",
      step: "im_recall",
      signal: o.signal,
      ids: { message_id: messageId, ...o.ids },
    });
    return { requestId };
  }

  /** Edit a text or post message the bot sent (`PUT …/messages/:id`; ≤ 20 edits). */
  async edit(
    messageId: string,
    msgType: "text" | "post",
    content: string | object,
    o: SendOptions = {},
  ): Promise<SentMessage> {
    checkMessageId(messageId);
    const type = checkMsgType(msgType, ["text", "post"]);
    const res = await this.#http.request<Record<string, unknown>>({
      method: "PUT",
      path: `/open-apis/im/v1/messages/${messageId}`,
      body: { msg_type: type, content: contentString(type, content) },
      auth: o.auth,
      bucket: "im_edit",
      step: "im_edit",
      signal: o.signal,
      ids: { message_id: messageId, msg_type: type, ...o.ids },
    });
    return sent(res.data ?? {}, res.requestId);
  }

  /**
   * Replace a card the bot sent (`PATCH …/messages/:id`): a shared card
   * (`update_multi: true`, always so for 2.0) sent < 14 days ago; updates to
   * one message are spaced at 5/s.
   */
  async updateCard(messageId: string, cardJson: object, o: SendOptions = {}): Promise<MessageAck> {
    checkMessageId(messageId);
    checkUpdatableCard(cardJson);
    const content = contentString("interactive", cardJson);
    const extraBuckets = await this.#own([this.#bucket(`im_card_update_of:${messageId}`)], o.signal);
    const { requestId } = await this.#http.request({
      method: "PATCH",
      path: `/open-apis/im/v1/messages/${messageId}`,
      body: { content },
      auth: o.auth,
      bucket: "im_card_update",
      extraBuckets,
      step: "im_card_update",
      signal: o.signal,
      ids: { message_id: messageId, ...o.ids },
    });
    return { requestId };
  }

  /** Upload an image for messages (`POST /open-apis/im/v1/images`); returns its `image_key`. */
  async uploadImage(bytes: Uint8Array, o: ImageUploadOptions = {}): Promise<string> {
    return (await this.uploadImageResult(bytes, o)).imageKey;
  }

  /** Like {@linkcode MessageApi.uploadImage}, answering the `image_key` with the request id. */
  uploadImageResult(bytes: Uint8Array, o: ImageUploadOptions = {}): Promise<UploadedImage> {
    return uploadImageWith(this.#http, bytes, o);
  }

  /** Upload a file for messages (`POST /open-apis/im/v1/files`); returns its `file_key`. */
  async uploadFile(bytes: Uint8Array, fileName: string, o: FileUploadOptions = {}): Promise<string> {
    return (await this.uploadFileResult(bytes, fileName, o)).fileKey;
  }

  /** Like {@linkcode MessageApi.uploadFile}, answering the `file_key` with the request id. */
  uploadFileResult(bytes: Uint8Array, fileName: string, o: FileUploadOptions = {}): Promise<UploadedFile> {
    return uploadFileWith(this.#http, bytes, fileName, o);
  }

  /** Upload a local image and send it, in one call. */
  async sendImageFile(
    receiveIdType: ReceiveIdType,
    receiveId: string,
    path: string,
    o: SendOptions = {},
  ): Promise<SentMessage> {
    checkRecipient(receiveIdType, receiveId);
    const { msgType, content } = await uploadLocal(this.#http, path, "image", o);
    return await this.send({ receiveIdType, receiveId, msgType, content, uuid: o.uuid }, o);
  }

  /** Upload a local file and send it (opus → audio, mp4 → media, others → file), in one call. */
  async sendFileFromPath(
    receiveIdType: ReceiveIdType,
    receiveId: string,
    path: string,
    o: SendOptions = {},
  ): Promise<SentMessage> {
    checkRecipient(receiveIdType, receiveId);
    const { msgType, content } = await uploadLocal(this.#http, path, "file", o);
    return await this.send({ receiveIdType, receiveId, msgType, content, uuid: o.uuid }, o);
  }
}
