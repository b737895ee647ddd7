import { BadRequestError } from "../errors/bad_request_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";

/** Replaces the card of a message. */
export interface CardUpdater {
  /** Put `card` in place of message `messageId`'s card, as app `appId`. */
  update(
    appId: string,
    messageId: string,
    card: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<void>;
}

/**
 * Card updates through `PATCH /open-apis/im/v1/messages/:message_id`
 * (`{content: <card JSON string>}`, tenant token of the sending app; the card
 * declares `config.update_multi: true`; ≤ 30 KB; 5 QPS per message):
 * open.feishu.cn/document/server-docs/im-v1/message-card/patch.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const httpFor: (appId: string) => LarkHttp;
 * const updater = new PatchCardUpdater((appId) => httpFor(appId));
 * await updater.update("cli_x", "om_x", { schema: "2.0", body: { elements: [] } });
 * ```
 */
export class PatchCardUpdater implements CardUpdater {
  readonly #httpFor: (appId: string) => LarkHttp;

  /** `httpFor(appId)` gives a client authenticated with that app's tenant token. */
  constructor(httpFor: (appId: string) => LarkHttp) {
    this.#httpFor = httpFor;
  }

  /** Send the update. */
  async update(appId: string, messageId: string, card: Record<string, unknown>, signal?: AbortSignal) {
    if (!/^om_[A-Za-z0-9_-]{1,120}$/.test(messageId)) {
      throw new BadRequestError(`bad message_id ${JSON.stringify(messageId.slice(0, 40))}`, {
        hint: "消息 ID 格式不正确（应以 om_ 开头），无法更新卡片。",
      });
    }
    const content = JSON.stringify(card);
    if (new TextEncoder().encode(content).length > 30 * 1024) {
      throw new BadRequestError("card over 30 KB", { hint: "卡片内容超过 30 KB，无法更新，请精简卡片。" });
    }
    await this.#httpFor(appId).request({
      method: "PATCH",
      path: `/open-apis/im/v1/messages/${messageId}`,
      body: { content },
      bucket: "im_card_patch",
      step: "card_update",
      signal,
      ids: { message_id: messageId },
    });
  }
}
