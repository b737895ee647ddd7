import { ParamError } from "../errors/param_error.ts";
import { requireInt, requireText } from "../validate/checks.ts";

/**
 * Block types of docx v1 (open.feishu.cn/document/server-docs/docs/docs/docx-v1/data-structure/block):
 * 1 page, 2 text, 3–11 heading1–9, 12 bullet, 13 ordered, 14 code, 15 quote,
 * 17 todo, 22 divider, 27 image, 31 table, 32 table cell.
 */
export const BLOCK_TYPE = {
  page: 1,
  text: 2,
  heading1: 3,
  bullet: 12,
  ordered: 13,
  code: 14,
  quote: 15,
  todo: 17,
  divider: 22,
  image: 27,
  table: 31,
  tableCell: 32,
} as const;

/** Inline style of a text run. */
export interface TextStyle {
  /** Bold. */
  bold?: boolean;
  /** Italic. */
  italic?: boolean;
  /** Strike-through. */
  strikethrough?: boolean;
  /** Underline. */
  underline?: boolean;
  /** Inline code. */
  inline_code?: boolean;
  /** Link (URL-encoded by Feishu's rules: pass a plain URL, it is encoded here). */
  link?: { url: string };
}

/** One inline element: a text run. */
export interface TextElement {
  /** The run. */
  text_run: { content: string; text_element_style?: TextStyle };
}

/** A block as sent to "create children" (and as read back, with `block_id`, `parent_id`, `children`). */
export interface DocxBlock {
  /** Block type (see {@linkcode BLOCK_TYPE}). */
  block_type: number;
  /** Id (read back only). */
  block_id?: string;
  /** Parent id (read back only). */
  parent_id?: string;
  /** Child ids (read back only). */
  children?: string[];
  /** Type-specific body (`text`, `heading1`, `code`, `image`, `table`, …). */
  [key: string]: unknown;
}

/** A piece of text: a plain string or a styled run. */
export type Inline = string | { text: string; style?: TextStyle };

/** Most characters per text run the builders accept (UNCONFIRMED bound: see sandbox/UNCONFIRMED.md). */
export const MAX_RUN_CHARS = 100_000;

/**
 * Code languages of docx v1 code blocks (`style.language`, the "Code Language"
 * enum of the block data structure page). The numbering is UNCONFIRMED for the
 * less common entries (sandbox/UNCONFIRMED.md); 1 is plain text.
 */
export const CODE_LANGUAGES: Readonly<Record<string, number>> = Object.freeze({
  plaintext: 1,
  bash: 7,
  csharp: 8,
  cpp: 9,
  c: 10,
  css: 12,
  dart: 15,
  dockerfile: 18,
  go: 22,
  html: 24,
  http: 26,
  json: 28,
  java: 29,
  javascript: 30,
  kotlin: 32,
  lua: 36,
  makefile: 38,
  markdown: 39,
  nginx: 40,
  php: 43,
  python: 49,
  ruby: 52,
  rust: 53,
  sql: 56,
  scala: 57,
  shell: 60,
  swift: 61,
  typescript: 63,
  xml: 66,
  yaml: 67,
  diff: 69,
  toml: 75,
});

/** Turn inline pieces into text elements; `field` names the input in errors. */
export function textElements(field: string, pieces: readonly Inline[]): TextElement[] {
  if (!Array.isArray(pieces) || pieces.length === 0) throw new ParamError(field, "至少需要一段文字");
  return pieces.map((p, i) => {
    const text = typeof p === "string" ? p : p?.text;
    if (typeof text !== "string") throw new ParamError(`${field}[${i}]`, "应为字符串或 {text, style}");
    if ([...text].length > MAX_RUN_CHARS) {
      throw new ParamError(`${field}[${i}]`, `最多 ${MAX_RUN_CHARS} 个字符`);
    }
    const style = typeof p === "string" ? undefined : p.style;
    if (style?.link !== undefined) requireText(`${field}[${i}].style.link.url`, style.link.url, 2000);
    const run: TextElement["text_run"] = { content: text };
    if (style) {
      run.text_element_style = style.link
        ? { ...style, link: { url: encodeURIComponent(style.link.url) } }
        : { ...style };
    }
    return { text_run: run };
  });
}

function pieces(content: Inline | readonly Inline[]): readonly Inline[] {
  return Array.isArray(content) ? content : [content as Inline];
}

/** A text (paragraph) block. */
export function textBlock(content: Inline | readonly Inline[]): DocxBlock {
  return {
    block_type: BLOCK_TYPE.text,
    text: { elements: textElements("text", pieces(content)), style: {} },
  };
}

/** A heading of level 1–9 (block types 3–11, body key `heading<level>`). */
export function headingBlock(level: number, content: Inline | readonly Inline[]): DocxBlock {
  requireInt("level", level, 1, 9);
  const key = `heading${level}`;
  return {
    block_type: BLOCK_TYPE.heading1 + level - 1,
    [key]: { elements: textElements(key, pieces(content)), style: {} },
  };
}

/** One bullet list item. */
export function bulletBlock(content: Inline | readonly Inline[]): DocxBlock {
  return {
    block_type: BLOCK_TYPE.bullet,
    bullet: { elements: textElements("bullet", pieces(content)), style: {} },
  };
}

/** One ordered list item. */
export function orderedBlock(content: Inline | readonly Inline[]): DocxBlock {
  return {
    block_type: BLOCK_TYPE.ordered,
    ordered: { elements: textElements("ordered", pieces(content)), style: {} },
  };
}

/** Bullet (or ordered) items, one block per entry. */
export function listBlocks(items: readonly (Inline | readonly Inline[])[], ordered = false): DocxBlock[] {
  if (!Array.isArray(items) || items.length === 0) throw new ParamError("items", "列表至少需要一项");
  return items.map((item) => ordered ? orderedBlock(item) : bulletBlock(item));
}

/** A code block; `language` is a name of {@linkcode CODE_LANGUAGES} (case-insensitive). */
export function codeBlock(code: string, language = "plaintext", o: { wrap?: boolean } = {}): DocxBlock {
  if (typeof code !== "string" || code === "") throw new ParamError("code", "代码内容不能为空");
  const lang = CODE_LANGUAGES[String(language).toLowerCase()];
  if (lang === undefined) {
    throw new ParamError(
      "code.language",
      `不支持的语言「${language}」，可选：${Object.keys(CODE_LANGUAGES).join("、")}`,
    );
  }
  return {
    block_type: BLOCK_TYPE.code,
    code: { elements: textElements("code", [code]), style: { language: lang, wrap: o.wrap ?? false } },
  };
}

/** A divider. */
export function dividerBlock(): DocxBlock {
  return { block_type: BLOCK_TYPE.divider, divider: {} };
}

/**
 * An empty image block. Feishu fills it in three steps: create this block,
 * upload the file with `parent_type: "docx_image"` and `parent_node` = the new
 * block's id (lib/drive `MediaApi.upload`), then `DocxApi.updateBlock(…,
 * { replaceImage: token })`.
 */
export function imageBlock(o: { width?: number; height?: number } = {}): DocxBlock {
  const image: Record<string, number> = {};
  if (o.width !== undefined) image.width = requireInt("image.width", o.width, 1, 100_000);
  if (o.height !== undefined) image.height = requireInt("image.height", o.height, 1, 100_000);
  return { block_type: BLOCK_TYPE.image, image };
}

/** Most rows/columns the table builder accepts (UNCONFIRMED bound: see sandbox/UNCONFIRMED.md). */
export const MAX_TABLE_SIDE = 100;

/**
 * A table of `rows` × `columns` empty cells (Feishu creates the cells; fill
 * them by appending text blocks under each cell id it returns).
 */
export function tableBlock(rows: number, columns: number, o: { headerRow?: boolean } = {}): DocxBlock {
  requireInt("table.rows", rows, 1, MAX_TABLE_SIDE);
  requireInt("table.columns", columns, 1, MAX_TABLE_SIDE);
  return {
    block_type: BLOCK_TYPE.table,
    table: { property: { row_size: rows, column_size: columns, header_row: o.headerRow ?? false } },
  };
}

/** Check a block list before sending: each has a known numeric type and its body. */
export function checkBlocks(field: string, blocks: readonly DocxBlock[]): void {
  blocks.forEach((b, i) => {
    if (!b || typeof b.block_type !== "number" || !Number.isInteger(b.block_type) || b.block_type < 1) {
      throw new ParamError(`${field}[${i}].block_type`, "应为正整数的块类型（见 BLOCK_TYPE）");
    }
    if (b.block_type === BLOCK_TYPE.page) throw new ParamError(`${field}[${i}].block_type`, "不能创建页面块");
  });
}
