import { checkMentionId, checkText } from "./_validate.ts";

/** Someone to @mention: an `ou_…` open_id (or `"all"` for everyone) and the name shown. */
export interface Mention {
  /** `ou_…` open_id, or `"all"`. */
  openId: string;
  /** Name shown in the tag (Feishu shows the real name anyway). */
  name?: string;
}

/** Options of {@linkcode textMessage}. */
export interface TextMessageOptions {
  /** People @mentioned before the text, in order. */
  mentions?: Mention[];
}

function escapeTagText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * One `<at>` tag for text messages (`<at user_id="ou_…">名字</at>`, or
 * `<at user_id="all"></at>`), per the text content page
 * (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/create_json).
 */
export function atTag(m: Mention, field = "mentions"): string {
  const id = checkMentionId(field, m.openId);
  return id === "all" ? '<at user_id="all"></at>' : `<at user_id="${id}">${escapeTagText(m.name ?? "")}</at>`;
}

/**
 * The `content` of a `text` message: `{text}` with the @mentions first.
 *
 * @example
 * ```ts
 * import { textMessage } from "./mod.ts";
 *
 * const content = textMessage("请审批", { mentions: [{ openId: "ou_1", name: "张三" }] });
 * // { text: '<at user_id="ou_1">张三</at> 请审批' }
 * ```
 */
export function textMessage(text: string, options: TextMessageOptions = {}): { text: string } {
  checkText("text", text, "文本消息内容");
  const tags = (options.mentions ?? []).map((m, i) => atTag(m, `mentions[${i}].openId`));
  return { text: tags.length ? `${tags.join(" ")} ${text}` : text };
}
