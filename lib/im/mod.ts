/**
 * Instant messaging from the app's bot (`im/v1`), every input checked
 * before any request (an {@linkcode ImFieldError} names the wrong field):
 * text with @mentions, rich text ({@linkcode PostBuilder}), interactive
 * cards (card JSON 2.0 {@linkcode CardBuilder}; 1.0 helpers for the
 * notification cards), image and file uploads checked by size and magic
 * bytes, reply (also in a thread), recall, edit, card update, and
 * {@linkcode batchSend} with a result per recipient (5 QPS per recipient,
 * 50/s per app, idempotent `uuid`). Also verification of old-style card callbacks.
 *
 * @example
 * ```ts
 * import { CardBuilder, MessageApi, textMessage } from "./mod.ts";
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * const im = new MessageApi(http);
 * await im.sendText("open_id", "ou_xxx", textMessage("请查收", { mentions: [{ openId: "ou_xxx" }] }));
 * await im.sendCard("chat_id", "oc_xxx", new CardBuilder().header("通知").markdown("**完成**").build());
 * ```
 *
 * @module
 */
export * from "./card.ts";
export * from "./card_builder.ts";
export * from "./notify_cards.ts";
export * from "./message_api.ts";
export * from "./batch_send.ts";
export * from "./batch_message.ts";
export * from "./im_field_error.ts";
export * from "./media_checks.ts";
export * from "./post_builder.ts";
export * from "./text_message.ts";
export * from "./verify_card_signature.ts";
