import { ParamError } from "../errors/param_error.ts";

/** Border kinds of the style API. */
export const BORDER_TYPES = [
  "FULL_BORDER",
  "OUTER_BORDER",
  "INNER_BORDER",
  "NO_BORDER",
  "LEFT_BORDER",
  "RIGHT_BORDER",
  "TOP_BORDER",
  "BOTTOM_BORDER",
] as const;

/** Cell style, in friendly names; {@linkcode toApiStyle} maps them to the API's fields. */
export interface CellStyle {
  /** Bold text. */
  bold?: boolean;
  /** Italic text. */
  italic?: boolean;
  /** Font size in pt (9–36 in the UI). */
  fontSize?: number;
  /** Underline / strike-through. */
  decoration?: "none" | "underline" | "strikethrough" | "both";
  /** Number format, e.g. `#,##0.00`, `yyyy/MM/dd`. */
  formatter?: string;
  /** Horizontal alignment. */
  hAlign?: "left" | "center" | "right";
  /** Vertical alignment. */
  vAlign?: "top" | "middle" | "bottom";
  /** Text colour `#RRGGBB`. */
  color?: string;
  /** Fill colour `#RRGGBB`. */
  background?: string;
  /** Borders. */
  border?: (typeof BORDER_TYPES)[number];
  /** Border colour `#RRGGBB`. */
  borderColor?: string;
  /** Clear every style first. */
  clean?: boolean;
}

const COLOR = /^#[0-9a-fA-F]{6}$/;
const H_ALIGN = { left: 0, center: 1, right: 2 } as const;
const V_ALIGN = { top: 0, middle: 1, bottom: 2 } as const;
const DECORATION = { none: 0, underline: 1, strikethrough: 2, both: 3 } as const;

/**
 * The API's `style` object (`PUT /open-apis/sheets/v2/spreadsheets/:token/style`,
 * open.feishu.cn/document/server-docs/docs/sheets-v3/data-operation/set-cell-style):
 * `font{bold, italic, fontSize:"10pt/1.5"}`, `textDecoration` 0–3, `formatter`,
 * `hAlign`/`vAlign` 0–2, `foreColor`, `backColor`, `borderType`, `borderColor`, `clean`.
 */
export function toApiStyle(s: CellStyle, field = "style"): Record<string, unknown> {
  if (!s || typeof s !== "object") throw new ParamError(field, "应为样式对象");
  const out: Record<string, unknown> = {};
  const font: Record<string, unknown> = {};
  if (s.bold !== undefined) font.bold = !!s.bold;
  if (s.italic !== undefined) font.italic = !!s.italic;
  if (s.fontSize !== undefined) {
    if (!Number.isInteger(s.fontSize) || s.fontSize < 9 || s.fontSize > 36) {
      throw new ParamError(`${field}.font_size`, "字号应为 9–36 的整数（pt）");
    }
    font.fontSize = `${s.fontSize}pt/1.5`;
  }
  if (Object.keys(font).length) out.font = font;
  if (s.decoration !== undefined) {
    if (!(s.decoration in DECORATION)) {
      throw new ParamError(`${field}.decoration`, "只能是 none/underline/strikethrough/both");
    }
    out.textDecoration = DECORATION[s.decoration];
  }
  if (s.formatter !== undefined) out.formatter = String(s.formatter);
  if (s.hAlign !== undefined) {
    if (!(s.hAlign in H_ALIGN)) throw new ParamError(`${field}.h_align`, "只能是 left/center/right");
    out.hAlign = H_ALIGN[s.hAlign];
  }
  if (s.vAlign !== undefined) {
    if (!(s.vAlign in V_ALIGN)) throw new ParamError(`${field}.v_align`, "只能是 top/middle/bottom");
    out.vAlign = V_ALIGN[s.vAlign];
  }
  for (
    const [key, api] of [["color", "foreColor"], ["background", "backColor"], [
      "borderColor",
      "borderColor",
    ]] as const
  ) {
    const v = s[key];
    if (v === undefined) continue;
    if (!COLOR.test(v)) throw new ParamError(`${field}.${key}`, "颜色应为 #RRGGBB");
    out[api] = v.toUpperCase();
  }
  if (s.border !== undefined) {
    if (!(BORDER_TYPES as readonly string[]).includes(s.border)) {
      throw new ParamError(`${field}.border`, `只能是 ${BORDER_TYPES.join("/")}`);
    }
    out.borderType = s.border;
  }
  if (s.clean !== undefined) out.clean = !!s.clean;
  if (Object.keys(out).length === 0) throw new ParamError(field, "至少设置一项样式");
  return out;
}
