/**
 * A builder of card JSON 2.0 (`schema: "2.0"`, `config`, `header`,
 * `body.elements`), the shape of open.feishu.cn/document/feishu-cards/card-json-v2-structure:
 * markdown, plain text (`div`), buttons with `behaviors` (`callback` value
 * and/or `open_url`), column sets and rules. 2.0 cards are shared cards
 * (`config.update_multi` is always `true`), so `MessageApi.updateCard` can
 * change them; a card holds at most 200 elements.
 *
 * @module
 */
import { ImFieldError } from "./im_field_error.ts";
import { checkText, checkUrl } from "./_validate.ts";
import type { HeaderTemplate } from "./card.ts";

/** Button styles of card 2.0. */
export type ButtonType =
  | "default"
  | "primary"
  | "danger"
  | "text"
  | "primary_text"
  | "danger_text"
  | "primary_filled"
  | "danger_filled"
  | "laser";

const BUTTON_TYPES: readonly ButtonType[] = [
  "default",
  "primary",
  "danger",
  "text",
  "primary_text",
  "danger_text",
  "primary_filled",
  "danger_filled",
  "laser",
];
const TEMPLATES: readonly HeaderTemplate[] = [
  "blue",
  "wathet",
  "turquoise",
  "green",
  "yellow",
  "orange",
  "red",
  "carmine",
  "violet",
  "purple",
  "indigo",
  "grey",
];

/** What a button does when clicked: post `callback` to the app, open `url`, or both. */
export interface ButtonAction {
  /** Value sent back in the `card.action.trigger` callback (`event.action.value`). */
  callback?: Record<string, unknown>;
  /** Link opened on click. */
  url?: string;
  /** Style (default `default`). */
  type?: ButtonType;
}

/** One element of a 2.0 card body (the builder's output; any other 2.0 component may be added raw). */
export type CardV2Element = Record<string, unknown> & { tag: string };

/** A card JSON 2.0 document. */
export interface CardV2 {
  /** Always `"2.0"`. */
  schema: "2.0";
  /** Settings; `update_multi` is always true for 2.0. */
  config: { update_multi: true; [key: string]: unknown };
  /** Header, if any. */
  header?: {
    title: { tag: "plain_text"; content: string };
    subtitle?: { tag: "plain_text"; content: string };
    template: HeaderTemplate;
  };
  /** Body. */
  body: { elements: CardV2Element[] };
}

/** Largest number of elements (components and text objects) of a 2.0 card. */
export const CARD_V2_MAX_ELEMENTS = 200;

/** Elements of a body or a column, added in order. */
export class CardElements {
  /** Elements added so far. */
  readonly elements: CardV2Element[] = [];
  #path: string;

  /** `path` names this list in error fields, e.g. `body.elements`. */
  constructor(path = "body.elements") {
    this.#path = path;
  }

  #field(suffix: string): string {
    return `${this.#path}[${this.elements.length}]${suffix}`;
  }

  /** A markdown block (`tag: markdown`). */
  markdown(content: string): this {
    this.elements.push({
      tag: "markdown",
      content: checkText(this.#field(".content"), content, "Markdown 内容"),
    });
    return this;
  }

  /** A plain-text block (`tag: div`, shown exactly as given). */
  text(content: string): this {
    const checked = checkText(this.#field(".text.content"), content, "文本内容");
    this.elements.push({ tag: "div", text: { tag: "plain_text", content: checked } });
    return this;
  }

  /** A button (label ≤ 100 characters) with a callback value and/or a link. */
  button(label: string, action: ButtonAction): this {
    const text = checkText(this.#field(".text.content"), label, "按钮文字", 100);
    const behaviors: Record<string, unknown>[] = [];
    if (action.url !== undefined) {
      behaviors.push({ type: "open_url", default_url: checkUrl(this.#field(".behaviors.url"), action.url) });
    }
    if (action.callback !== undefined) {
      if (action.callback === null || typeof action.callback !== "object" || Array.isArray(action.callback)) {
        throw new ImFieldError(
          this.#field(".behaviors.callback"),
          "callback value must be an object",
          "按钮回传值（callback）必须是对象。",
        );
      }
      behaviors.push({ type: "callback", value: action.callback });
    }
    if (!behaviors.length) {
      throw new ImFieldError(
        this.#field(".behaviors"),
        "a button needs a callback or a url",
        "按钮需要 callback（回传交互）或 url（跳转链接）。",
      );
    }
    const type = action.type ?? "default";
    if (!BUTTON_TYPES.includes(type)) {
      throw new ImFieldError(
        this.#field(".type"),
        `unknown button type ${type}`,
        `按钮样式只能是 ${BUTTON_TYPES.join("、")} 之一。`,
      );
    }
    this.elements.push({ tag: "button", text: { tag: "plain_text", content: text }, type, behaviors });
    return this;
  }

  /** A horizontal rule. */
  hr(): this {
    this.elements.push({ tag: "hr" });
    return this;
  }

  /** Side-by-side columns of equal weight, each filled by its function. */
  columns(...fills: ((column: CardElements) => unknown)[]): this {
    if (!fills.length) throw new ImFieldError(this.#field(".columns"), "no columns", "分栏至少需要一列。");
    const base = this.#field(".columns");
    const columns = fills.map((fill, i) => {
      const col = new CardElements(`${base}[${i}].elements`);
      fill(col);
      return { tag: "column", width: "weighted", weight: 1, elements: col.elements };
    });
    this.elements.push({ tag: "column_set", flex_mode: "none", columns });
    return this;
  }
}

/**
 * Builds a card JSON 2.0 document.
 *
 * @example
 * ```ts
 * import { CardBuilder } from "./mod.ts";
 *
 * const card = new CardBuilder()
 *   .header("报销审批", "orange")
 *   .markdown("**申请人**：张三\n**金额**：¥1,200")
 *   .columns(
 *     (c) => c.button("同意", { callback: { action: "approve", id: "R-1" }, type: "primary_filled" }),
 *     (c) => c.button("拒绝", { callback: { action: "reject", id: "R-1" }, type: "danger" }),
 *   )
 *   .build();
 * ```
 */
export class CardBuilder extends CardElements {
  #header?: CardV2["header"];

  /** Start an empty card. */
  constructor() {
    super("body.elements");
  }

  /** Header title, colour and optional subtitle. */
  header(title: string, template: HeaderTemplate = "blue", subtitle?: string): this {
    const t = checkText("header.title", title, "卡片标题");
    if (!TEMPLATES.includes(template)) {
      throw new ImFieldError(
        "header.template",
        `unknown template ${template}`,
        `卡片标题颜色只能是 ${TEMPLATES.join("、")} 之一。`,
      );
    }
    this.#header = {
      title: { tag: "plain_text", content: t },
      ...(subtitle !== undefined
        ? {
          subtitle: {
            tag: "plain_text" as const,
            content: checkText("header.subtitle", subtitle, "卡片副标题"),
          },
        }
        : {}),
      template,
    };
    return this;
  }

  /** The card; refuses an empty card and one over 200 elements. */
  build(): CardV2 {
    const card: CardV2 = {
      schema: "2.0",
      config: { update_multi: true },
      ...(this.#header ? { header: this.#header } : {}),
      body: { elements: this.elements },
    };
    validateCardV2(card);
    return card;
  }
}

/** Count components and text objects (each `tag`) of a card part. */
function countTags(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countTags(x), 0);
  if (v === null || typeof v !== "object") return 0;
  let n = typeof (v as { tag?: unknown }).tag === "string" ? 1 : 0;
  for (const x of Object.values(v)) n += countTags(x);
  return n;
}

/**
 * Check a card JSON 2.0 document before sending: `schema` "2.0",
 * `body.elements` a non-empty array of tagged objects, `update_multi` not
 * false, at most 200 elements.
 */
export function validateCardV2(card: unknown): asserts card is CardV2 {
  const c = card as Partial<CardV2> | null;
  if (!c || typeof c !== "object" || c.schema !== "2.0") {
    throw new ImFieldError("schema", 'schema must be "2.0"', '卡片 JSON 2.0 必须声明 schema: "2.0"。');
  }
  if (!c.body || !Array.isArray(c.body.elements) || !c.body.elements.length) {
    throw new ImFieldError(
      "body.elements",
      "body.elements must be a non-empty array",
      "卡片正文（body.elements）至少需要一个组件。",
    );
  }
  c.body.elements.forEach((e, i) => {
    if (!e || typeof e !== "object" || typeof e.tag !== "string") {
      throw new ImFieldError(
        `body.elements[${i}].tag`,
        "element without a tag",
        "卡片的每个组件都需要 tag 字段。",
      );
    }
  });
  if ((c.config as { update_multi?: unknown } | undefined)?.update_multi === false) {
    throw new ImFieldError(
      "config.update_multi",
      "2.0 cards are shared cards",
      "卡片 JSON 2.0 仅支持共享卡片，update_multi 只能为 true。",
    );
  }
  const n = countTags(c.header) + countTags(c.body);
  if (n > CARD_V2_MAX_ELEMENTS) {
    throw new ImFieldError(
      "body.elements",
      `${n} elements, over ${CARD_V2_MAX_ELEMENTS}`,
      `卡片最多 ${CARD_V2_MAX_ELEMENTS} 个组件，当前 ${n} 个，请拆分成多张卡片。`,
    );
  }
}
