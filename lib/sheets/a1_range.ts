import { ParamError } from "../errors/param_error.ts";

/** Most rows one Sheets call may read or write (open.feishu.cn/document/server-docs/docs/sheets-v3/data-operation/write-data-to-a-single-range). */
export const MAX_ROWS_PER_CALL = 5000;
/** Most columns one Sheets call may read or write. */
export const MAX_COLS_PER_CALL = 100;
/** Largest column the A1 helper accepts (`ZZZ`). */
const MAX_COLUMN = 18_278;
/** Largest row the A1 helper accepts. */
const MAX_ROW = 10_000_000;

/**
 * A block of cells on one sheet. The one index convention of this module:
 * rows and columns are **0-based, end exclusive** (`A1` is row 0, column 0;
 * `A1:B2` is rows 0–2, columns 0–2). The client converts to whatever base
 * each API wants (the dimension update/delete APIs take 1-based inclusive
 * indexes, the insert API 0-based exclusive, A1 strings 1-based).
 */
export interface CellRange {
  /** Sheet id (not its title), e.g. `0b12cd`. */
  sheetId: string;
  /** First row, 0-based. */
  startRow: number;
  /** First column, 0-based. */
  startCol: number;
  /** Row after the last, 0-based (exclusive). */
  endRow: number;
  /** Column after the last, 0-based (exclusive). */
  endCol: number;
}

/** Column letters of a 0-based column index: 0 → `A`, 26 → `AA`. */
export function columnName(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_COLUMN) {
    throw new ParamError("column", `列号应为 0–${MAX_COLUMN - 1} 的整数`);
  }
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** 0-based index of column letters: `A` → 0, `AA` → 26. */
export function columnIndex(name: string): number {
  if (!/^[A-Z]{1,3}$/i.test(name)) throw new ParamError("column", `列名 ${name} 应为 A–ZZZ`);
  let n = 0;
  for (const ch of name.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Check a sheet id. */
export function checkSheetId(sheetId: unknown, field = "sheet_id"): string {
  if (typeof sheetId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(sheetId)) {
    throw new ParamError(field, "应为工作表 ID（字母数字，不是工作表名称）");
  }
  return sheetId;
}

/** Build a range from a sheet id, a 0-based top-left cell and a size. */
export function cellRange(
  sheetId: string,
  startRow: number,
  startCol: number,
  rows: number,
  cols: number,
): CellRange {
  const r: CellRange = { sheetId, startRow, startCol, endRow: startRow + rows, endCol: startCol + cols };
  return checkRange(r);
}

/** Check a range's shape (not its size; see {@linkcode checkBounds}). */
export function checkRange(r: CellRange, field = "range"): CellRange {
  checkSheetId(r.sheetId, `${field}.sheet_id`);
  const ints = [r.startRow, r.startCol, r.endRow, r.endCol];
  if (!ints.every((v) => Number.isInteger(v) && v >= 0)) throw new ParamError(field, "行列号应为非负整数");
  if (r.endRow <= r.startRow || r.endCol <= r.startCol) throw new ParamError(field, "范围至少包含一个单元格");
  if (r.endRow > MAX_ROW || r.endCol > MAX_COLUMN) throw new ParamError(field, "行列号超出表格上限");
  return r;
}

/** Refuse a range larger than one call may take (5,000 rows × 100 columns). */
export function checkBounds(r: CellRange, field = "range"): CellRange {
  checkRange(r, field);
  if (r.endRow - r.startRow > MAX_ROWS_PER_CALL || r.endCol - r.startCol > MAX_COLS_PER_CALL) {
    throw new ParamError(field, `单次最多 ${MAX_ROWS_PER_CALL} 行 × ${MAX_COLS_PER_CALL} 列，请拆分`);
  }
  return r;
}

/** Parse `<sheetId>!A1:C10` or `<sheetId>!B2` (one cell). */
export function parseRange(text: string, field = "range"): CellRange {
  const m = typeof text === "string"
    ? /^([A-Za-z0-9_-]{1,64})!([A-Z]{1,3})(\d{1,8})(?::([A-Z]{1,3})(\d{1,8}))?$/i.exec(text)
    : null;
  if (!m) throw new ParamError(field, `应为 <sheetId>!A1:C10 形式，实际为 ${JSON.stringify(text)}`);
  const [, sheetId, c1, r1, c2 = c1, r2 = r1] = m;
  const a = { row: Number(r1) - 1, col: columnIndex(c1) };
  const b = { row: Number(r2) - 1, col: columnIndex(c2) };
  if (a.row < 0 || b.row < 0) throw new ParamError(field, "行号从 1 开始");
  return checkRange({
    sheetId,
    startRow: Math.min(a.row, b.row),
    startCol: Math.min(a.col, b.col),
    endRow: Math.max(a.row, b.row) + 1,
    endCol: Math.max(a.col, b.col) + 1,
  }, field);
}

/** Format a range as `<sheetId>!A1:C10`. */
export function formatRange(r: CellRange): string {
  checkRange(r);
  return `${r.sheetId}!${columnName(r.startCol)}${r.startRow + 1}:${columnName(r.endCol - 1)}${r.endRow}`;
}

/** A range given either way, checked. */
export function toRange(range: string | CellRange, field = "range"): CellRange {
  return typeof range === "string" ? parseRange(range, field) : checkRange(range, field);
}

/** Split a range into blocks of at most `maxRows` × `maxCols` (row-major order). */
export function splitRange(
  r: CellRange,
  maxRows = MAX_ROWS_PER_CALL,
  maxCols = MAX_COLS_PER_CALL,
): CellRange[] {
  checkRange(r);
  const out: CellRange[] = [];
  for (let row = r.startRow; row < r.endRow; row += maxRows) {
    for (let col = r.startCol; col < r.endCol; col += maxCols) {
      out.push({
        sheetId: r.sheetId,
        startRow: row,
        startCol: col,
        endRow: Math.min(r.endRow, row + maxRows),
        endCol: Math.min(r.endCol, col + maxCols),
      });
    }
  }
  return out;
}
