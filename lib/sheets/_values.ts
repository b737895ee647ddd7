import { ParamError } from "../errors/param_error.ts";
import { type CellRange, MAX_COLS_PER_CALL } from "./a1_range.ts";

/** A cell value as written or read (string, number, boolean, formula/link objects, null). */
export type CellValue = unknown;

/** Most characters in one cell (the docs advise staying under 40,000). */
export const MAX_CELL_CHARS = 50_000;

/** The block `values` covers from `at`'s top-left cell; values checked (rectangular, cell size). */
export function blockOf(at: CellRange, values: CellValue[][], field: string): CellRange {
  if (
    !Array.isArray(values) || values.length === 0 || !Array.isArray(values[0]) || values[0].length === 0
  ) {
    throw new ParamError(field, "应为非空的二维数组");
  }
  const width = values[0].length;
  values.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new ParamError(`${field}[${i}]`, `每行应有 ${width} 个单元格`);
    }
    row.forEach((cell, j) => {
      if (typeof cell === "string" && cell.length > MAX_CELL_CHARS) {
        throw new ParamError(`${field}[${i}][${j}]`, `单元格最多 ${MAX_CELL_CHARS} 个字符`);
      }
    });
  });
  const block = {
    sheetId: at.sheetId,
    startRow: at.startRow,
    startCol: at.startCol,
    endRow: at.startRow + values.length,
    endCol: at.startCol + width,
  };
  if (block.endCol - block.startCol > MAX_COLS_PER_CALL * 1000) throw new ParamError(field, "列数过多");
  return block;
}

/** The part of `values` (which covers `full`) that falls in `block`. */
export function slice(values: CellValue[][], full: CellRange, block: CellRange): CellValue[][] {
  return values
    .slice(block.startRow - full.startRow, block.endRow - full.startRow)
    .map((row) => row.slice(block.startCol - full.startCol, block.endCol - full.startCol));
}

/** Copy `values` (read for `block`) into `rows` (which cover `full`); missing cells become `null`. */
export function place(rows: CellValue[][], full: CellRange, block: CellRange, values: CellValue[][]): void {
  for (let i = 0; i < block.endRow - block.startRow; i++) {
    const row = values[i] ?? [];
    for (let j = 0; j < block.endCol - block.startCol; j++) {
      rows[block.startRow - full.startRow + i][block.startCol - full.startCol + j] = row[j] ?? null;
    }
  }
}
