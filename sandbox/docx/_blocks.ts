/**
 * Block checks and creation for "create children" and "patch block": the
 * body key each block type needs, which blocks take children, tables with
 * their cells, raw text.
 *
 * @module
 */
import { newToken, type StoredBlock, type StoredDocument } from "./store.ts";

/** Body key per creatable block type (docx v1 block data structure). */
export const BODY_KEY: Readonly<Record<number, string>> = {
  2: "text",
  3: "heading1",
  4: "heading2",
  5: "heading3",
  6: "heading4",
  7: "heading5",
  8: "heading6",
  9: "heading7",
  10: "heading8",
  11: "heading9",
  12: "bullet",
  13: "ordered",
  14: "code",
  15: "quote",
  17: "todo",
  22: "divider",
  27: "image",
  31: "table",
};

/** Types with text elements. */
const TEXT_TYPES = new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17]);
/** Types that take children through this API (UNCONFIRMED list: sandbox/UNCONFIRMED.md). */
const PARENT_TYPES = new Set([1, 2, 12, 13, 15, 17, 32]);
/** Largest code language number (docx "Code Language" enum). */
const MAX_CODE_LANGUAGE = 75;

/** A refusal: code, HTTP status and message. */
export interface Refusal {
  code: number;
  status: number;
  msg: string;
}

const invalid = (msg: string): Refusal => ({ code: 1770001, status: 400, msg: `invalid param: ${msg}` });

/** Check one child to create; a refusal or undefined. */
export function checkChild(child: unknown, i: number): Refusal | undefined {
  if (!child || typeof child !== "object") return invalid(`children[${i}]`);
  const b = child as Record<string, unknown>;
  const key = BODY_KEY[b.block_type as number];
  if (!key) return invalid(`children[${i}].block_type`);
  const body = b[key];
  if (!body || typeof body !== "object") return invalid(`children[${i}].${key}`);
  if (TEXT_TYPES.has(b.block_type as number)) {
    const elements = (body as Record<string, unknown>).elements;
    if (!Array.isArray(elements) || elements.length === 0) return invalid(`children[${i}].${key}.elements`);
    for (const e of elements) {
      if (typeof (e as { text_run?: { content?: unknown } })?.text_run?.content !== "string") {
        return invalid(`children[${i}].${key}.elements`);
      }
    }
  }
  if (b.block_type === 14) {
    const lang = ((body as Record<string, unknown>).style as Record<string, unknown> | undefined)?.language;
    if (
      lang !== undefined &&
      !(Number.isInteger(lang) && (lang as number) >= 1 && (lang as number) <= MAX_CODE_LANGUAGE)
    ) {
      return invalid(`children[${i}].code.style.language`);
    }
  }
  if (b.block_type === 31) {
    const p = (body as { property?: { row_size?: unknown; column_size?: unknown } }).property;
    if (!Number.isInteger(p?.row_size) || !Number.isInteger(p?.column_size)) {
      return invalid(`children[${i}].table.property`);
    }
    if ((p!.row_size as number) < 1 || (p!.column_size as number) < 1) {
      return invalid(`children[${i}].table.property`);
    }
  }
  return undefined;
}

/** Whether `parent` can take children. */
export function takesChildren(parent: StoredBlock): boolean {
  return PARENT_TYPES.has(parent.block_type);
}

/** Create `child` under `parentId` in `doc`; returns the new block (tables get their cells, each with an empty text). */
export function createBlock(
  doc: StoredDocument,
  parentId: string,
  child: Record<string, unknown>,
): StoredBlock {
  const id = newToken("doxcn");
  const block: StoredBlock = { ...structuredClone(child), block_id: id, parent_id: parentId } as StoredBlock;
  delete (block as Record<string, unknown>).children;
  doc.blocks.set(id, block);
  if (block.block_type === 27) {
    block.image = { width: 100, height: 100, token: "", ...(block.image as object) };
  }
  if (block.block_type === 31) {
    const p = (block.table as { property: { row_size: number; column_size: number } }).property;
    const cells: string[] = [];
    for (let n = 0; n < p.row_size * p.column_size; n++) {
      const cellId = newToken("doxcn");
      const textId = newToken("doxcn");
      doc.blocks.set(cellId, {
        block_id: cellId,
        block_type: 32,
        parent_id: id,
        table_cell: {},
        children: [textId],
      });
      doc.blocks.set(textId, {
        block_id: textId,
        block_type: 2,
        parent_id: cellId,
        text: { elements: [{ text_run: { content: "" } }], style: {} },
      });
      cells.push(cellId);
    }
    block.children = cells;
    (block.table as Record<string, unknown>).cells = cells;
  } else if (takesChildren(block)) {
    block.children = [];
  }
  return block;
}

/** Plain text of the document: the title, then one line per text-bearing block. */
export function rawText(blocks: readonly StoredBlock[]): string {
  const lines: string[] = [];
  for (const b of blocks) {
    const key = b.block_type === 1 ? "page" : BODY_KEY[b.block_type];
    const elements = (b[key] as { elements?: { text_run?: { content?: string } }[] } | undefined)?.elements;
    if (!elements) continue;
    lines.push(elements.map((e) => e.text_run?.content ?? "").join(""));
  }
  return lines.map((l) => l + "\n").join("");
}

/** Apply one update operation to `block`; a refusal or undefined. Operations: text elements, text style, image. */
export function applyUpdate(
  block: StoredBlock,
  op: Record<string, unknown>,
  imageOk: (token: string) => boolean,
): Refusal | undefined {
  const keys = Object.keys(op).filter((k) => k !== "block_id");
  if (keys.length !== 1) return invalid("exactly one update operation is required");
  const [name] = keys;
  const arg = op[name] as Record<string, unknown> | undefined;
  const key = BODY_KEY[block.block_type];
  if (name === "update_text_elements" || name === "update_text_style") {
    if (!TEXT_TYPES.has(block.block_type)) {
      return { code: 1770025, status: 400, msg: "operation and block not match" };
    }
    const body = block[key] as Record<string, unknown>;
    if (name === "update_text_elements") {
      const els = arg?.elements;
      if (!Array.isArray(els) || els.length === 0) return invalid("update_text_elements.elements");
      body.elements = structuredClone(els);
    } else {
      if (!arg?.style || typeof arg.style !== "object") return invalid("update_text_style.style");
      body.style = { ...(body.style as object), ...(arg.style as object) };
    }
    return undefined;
  }
  if (name === "replace_image") {
    if (block.block_type !== 27) return { code: 1770025, status: 400, msg: "operation and block not match" };
    const token = arg?.token;
    if (typeof token !== "string" || !imageOk(token)) {
      return { code: 1770013, status: 400, msg: "relation mismatch: image not uploaded to this block" };
    }
    (block.image as Record<string, unknown>).token = token;
    return undefined;
  }
  return invalid(`operation ${name} is not supported by the sandbox`);
}
