/**
 * Interactive card JSON 1.0 builders (`{config, header, elements}`). 1.0 is
 * used rather than 2.0 because it renders on every Feishu client version
 * (2.0 needs client 7.20+ and older clients show an "upgrade" placeholder)
 * and covers what notifications need: a coloured header, text, and a link button.
 */

/** Header colours of card 1.0. */
export type HeaderTemplate =
  | "blue"
  | "wathet"
  | "turquoise"
  | "green"
  | "yellow"
  | "orange"
  | "red"
  | "carmine"
  | "violet"
  | "purple"
  | "indigo"
  | "grey";

/** Text object: `plain_text` is shown as is, `lark_md` is Feishu markdown. */
export interface CardText {
  /** Text kind. */
  tag: "plain_text" | "lark_md";
  /** The text. */
  content: string;
}

/** Card header. */
export interface CardHeader {
  /** Title. */
  title: CardText;
  /** Colour. */
  template: HeaderTemplate;
}

/** A link button. */
export interface CardButton {
  /** Always `button`. */
  tag: "button";
  /** Label. */
  text: CardText;
  /** Style. */
  type: "primary" | "danger" | "default";
  /** Opened when clicked. */
  url: string;
}

/** One element of the card body. */
export type CardElement =
  | { tag: "div"; text: CardText }
  | { tag: "hr" }
  | { tag: "action"; actions: CardButton[] }
  | { tag: "note"; elements: CardText[] };

/** A card JSON 1.0 document, the `content` of an `interactive` message. */
export interface Card {
  /** Display settings. */
  config: { wide_screen_mode: boolean; enable_forward: boolean; update_multi?: boolean };
  /** Header. */
  header?: CardHeader;
  /** Body elements, top to bottom. */
  elements: CardElement[];
}

/** A header with a plain-text title. */
export function cardHeader(title: string, template: HeaderTemplate = "blue"): CardHeader {
  return { title: { tag: "plain_text", content: title }, template };
}

/** A markdown block (`lark_md`); escape untrusted parts with {@linkcode escapeMarkdown}. */
export function markdown(content: string): CardElement {
  return { tag: "div", text: { tag: "lark_md", content } };
}

/** A plain-text block: shown exactly as given (file names, paths). */
export function plainText(content: string): CardElement {
  return { tag: "div", text: { tag: "plain_text", content } };
}

/** A link button. */
export function button(label: string, url: string, type: CardButton["type"] = "primary"): CardButton {
  return { tag: "button", text: { tag: "plain_text", content: label }, type, url };
}

/** A row of buttons. */
export function actions(buttons: CardButton[]): CardElement {
  return { tag: "action", actions: buttons };
}

/** A horizontal rule. */
export function divider(): CardElement {
  return { tag: "hr" };
}

/** Small grey footnote text. */
export function note(content: string): CardElement {
  return { tag: "note", elements: [{ tag: "plain_text", content }] };
}

/** A card from a header and elements. */
export function card(header: CardHeader | undefined, elements: CardElement[]): Card {
  return {
    config: { wide_screen_mode: true, enable_forward: true },
    ...(header ? { header } : {}),
    elements,
  };
}

/**
 * Escape text for `lark_md` so it is shown literally: markdown punctuation is
 * backslash-escaped and `<`, `>`, `&` become entities (so `<at>` and link
 * syntax cannot be injected by a meeting topic).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_~\[\]()#|])/g, "\\$1");
}

/** Size of the card as message content, in UTF-8 bytes (Feishu's limit is 30 KB). */
export function cardBytes(c: Card): number {
  return new TextEncoder().encode(JSON.stringify(c)).length;
}
