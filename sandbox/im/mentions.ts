/**
 * The `mentions` of a sent message, as im/v1 answers them
 * (open.feishu.cn/document/server-docs/im-v1/message/create): each
 * `<at user_id="ou_…">` of a text, or `{tag: "at", user_id}` of a post, in
 * order, keyed `@_user_1`, `@_user_2`…; the answer's `body.content` shows
 * the keys in place of the tags. `@all` is not listed (ASSUMPTION).
 *
 * @module
 */
import type { Directory } from "../contact/directory.ts";

/** One mention of the answer. */
export interface Mention {
  /** `@_user_N`. */
  key: string;
  /** open_id. */
  id: string;
  /** Always `open_id`. */
  id_type: "open_id";
  /** Name from the directory (else the tag's text). */
  name: string;
  /** Tenant. */
  tenant_key: string;
}

/** Mentions of `parsed` content of `msgType`, and the content with keys in place of text tags. */
export function mentionsOf(
  msgType: string,
  content: string,
  parsed: unknown,
  directory: Directory,
): { mentions: Mention[]; content: string } {
  const mentions: Mention[] = [];
  const add = (id: string, text: string) => {
    const key = `@_user_${mentions.length + 1}`;
    const user = directory.user(id, "open_id");
    mentions.push({ key, id, id_type: "open_id", name: user?.name ?? text, tenant_key: directory.tenantKey });
    return key;
  };
  if (msgType === "text") {
    const text = (parsed as { text?: unknown }).text;
    if (typeof text !== "string") return { mentions, content };
    const replaced = text.replace(
      /<at user_id="([^"]+)">([^<]*)<\/at>/g,
      (all, id: string, name: string) => id === "all" ? all : add(id, name),
    );
    return {
      mentions,
      content: mentions.length ? JSON.stringify({ ...(parsed as object), text: replaced }) : content,
    };
  }
  if (msgType === "post") {
    for (const lang of Object.values(parsed as Record<string, { content?: unknown }>)) {
      if (!lang || !Array.isArray(lang.content)) continue;
      for (const para of lang.content) {
        if (!Array.isArray(para)) continue;
        for (const node of para) {
          if (node?.tag === "at" && typeof node.user_id === "string" && node.user_id !== "all") {
            add(node.user_id, "");
          }
        }
      }
    }
  }
  return { mentions, content };
}
