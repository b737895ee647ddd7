/**
 * CSS selectors the browser collector uses on the messenger (internal).
 * The defaults match the sandbox's messenger; the real Feishu web messenger
 * differs and changes, so every one can be overridden from the config
 * (`messenger.selectors`, camelCase or snake_case keys).
 *
 * @module
 */
import { ConfigError } from "../../lib/errors/mod.ts";

/** Selectors and attribute names on the messenger pages. */
export interface MessengerSelectors {
  /** The QR login code (screenshotted when headless). */
  qr: string;
  /** Attribute of the QR element that changes when the code is renewed (optional; "" = none). */
  qrTokenAttr: string;
  /** The chat list (present once logged in). */
  chatList: string;
  /** One chat in the list. */
  chatItem: string;
  /** The chat's display name inside a chat item. */
  chatName: string;
  /** Title of the open chat (checked against the bot chat name; "" = no check). */
  chatTitle: string;
  /** The message list of an open chat, once it has loaded. */
  messageList: string;
  /** One message. */
  message: string;
  /** Attribute of a message holding its id. */
  messageIdAttr: string;
  /** Attribute of a message holding its send time (epoch ms; "" = unknown, first-seen time is used). */
  messageTimeAttr: string;
  /** The text of a message. */
  messageText: string;
  /** The download button inside a message. */
  downloadButton: string;
  /** Text the download button must contain ("" = any). */
  downloadText: string;
  /** Button loading older messages ("" = none). */
  loadMore: string;
}

/** Defaults (the sandbox messenger's DOM). */
export const DEFAULT_SELECTORS: Readonly<MessengerSelectors> = {
  qr: ".login-qr",
  qrTokenAttr: "data-login-token",
  chatList: ".chat-list",
  chatItem: ".chat-item",
  chatName: ".chat-name",
  chatTitle: ".chat-title",
  messageList: '.message-list[data-loaded="true"]',
  message: ".message[data-message-id]",
  messageIdAttr: "data-message-id",
  messageTimeAttr: "data-create-time",
  messageText: ".message-text",
  downloadButton: ".download-button",
  downloadText: "下载文件",
  loadMore: ".load-more",
};

/**
 * Defaults overlaid with `overrides` (keys camelCase or snake_case, e.g.
 * `download_button`). Unknown keys are a {@linkcode ConfigError}.
 */
export function resolveSelectors(overrides: Record<string, string> = {}): MessengerSelectors {
  const out: MessengerSelectors = { ...DEFAULT_SELECTORS };
  const known = Object.keys(DEFAULT_SELECTORS) as (keyof MessengerSelectors)[];
  for (const [raw, value] of Object.entries(overrides)) {
    const key = raw.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()) as keyof MessengerSelectors;
    if (!known.includes(key)) {
      throw new ConfigError(`unknown selector ${raw}`, {
        hint: `messenger.selectors 中的 ${raw} 不是已知的选择器；可用：${known.join("、")}`,
      });
    }
    if (typeof value !== "string") {
      throw new ConfigError(`selector ${raw} must be a string`, {
        hint: `messenger.selectors.${raw} 必须是字符串`,
      });
    }
    out[key] = value;
  }
  return out;
}
