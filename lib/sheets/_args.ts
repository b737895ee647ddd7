import { ParamError } from "../errors/param_error.ts";
import { checkSheetId, MAX_COLS_PER_CALL, MAX_ROWS_PER_CALL } from "./a1_range.ts";

const V2 = "/open-apis/sheets/v2/spreadsheets";

/** The v2 API path of a spreadsheet; the token is checked first (letters, digits, `_`, `-`). */
export function spreadsheetPath(token: string): string {
  if (typeof token !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(token)) {
    throw new ParamError("spreadsheet_token", "应为电子表格链接 /sheets/ 后的一串字母数字");
  }
  return `${V2}/${token}`;
}

/** Arguments of a row/column dimension update: 0-based `[start, end)`, at most 5,000, size 0–2000 px. */
export function checkDimension(sheetId: string, start: number, end: number, fixedSize?: number): void {
  checkSheetId(sheetId);
  if (!Number.isInteger(start) || start < 0) throw new ParamError("start", "应为从 0 开始的非负整数");
  if (!Number.isInteger(end) || end <= start || end - start > MAX_ROWS_PER_CALL) {
    throw new ParamError("end", `应大于 start（不含），一次最多 ${MAX_ROWS_PER_CALL} 行/列`);
  }
  if (fixedSize !== undefined && !(Number.isInteger(fixedSize) && fixedSize >= 0 && fixedSize <= 2000)) {
    throw new ParamError("size", "像素应为 0–2000 的整数");
  }
}

/** The `updateSheet` properties freezing `panes` (rows ≤ 5,000, columns ≤ 100; 0 unfreezes). */
export function freezeProperties(
  sheetId: string,
  panes: { rows?: number; cols?: number },
): Record<string, unknown> {
  checkSheetId(sheetId);
  const properties: Record<string, unknown> = { sheetId };
  const fields = [["rows", "frozenRowCount", MAX_ROWS_PER_CALL], [
    "cols",
    "frozenColCount",
    MAX_COLS_PER_CALL,
  ]] as const;
  for (const [key, api, max] of fields) {
    const v = panes[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 0 || v > max) {
      throw new ParamError(`freeze.${key}`, `应为 0–${max} 的整数`);
    }
    properties[api] = v;
  }
  if (Object.keys(properties).length === 1) throw new ParamError("freeze", "需要 rows 或 cols");
  return properties;
}
