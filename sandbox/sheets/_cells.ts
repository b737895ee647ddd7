/**
 * Cell reads and writes of the Sheets family (0-based, end exclusive).
 *
 * @module
 */
import { formatRange } from "../../lib/sheets/a1_range.ts";
import type { Target } from "./_request.ts";

/** Values of a block (`null` for empty cells). */
export function readBlock(t: Target): unknown[][] {
  const out: unknown[][] = [];
  for (let r = t.startRow; r < t.endRow; r++) {
    const row: unknown[] = [];
    for (let c = t.startCol; c < t.endCol; c++) row.push(t.sheet.cells.get(`${r}:${c}`) ?? null);
    out.push(row);
  }
  return out;
}

/** Write `values` from the block's top-left cell (the caller checked they fit); cells written. */
export function writeBlock(t: Target, values: unknown[][]): number {
  let n = 0;
  values.forEach((row, i) =>
    row.forEach((v, j) => {
      const key = `${t.startRow + i}:${t.startCol + j}`;
      if (v === null || v === undefined || v === "") t.sheet.cells.delete(key);
      else t.sheet.cells.set(key, v);
      n++;
    })
  );
  t.sheet.rowCount = Math.max(t.sheet.rowCount, t.startRow + values.length);
  t.sheet.colCount = Math.max(t.sheet.colCount, t.endCol);
  return n;
}

/** Append after the last non-empty row of the range's columns. */
export function applyAppend(
  t: Target,
  values: unknown[][],
): { target: Target; cells: number; tableRange: string } {
  let last = t.startRow - 1;
  for (const key of t.sheet.cells.keys()) {
    const [r, c] = key.split(":").map(Number);
    if (r >= t.startRow && c >= t.startCol && c < t.endCol) last = Math.max(last, r);
  }
  const width = Math.max(...values.map((r) => r.length), 1);
  const at: Target = {
    ...t,
    startRow: last + 1,
    endRow: last + 1 + values.length,
    endCol: t.startCol + width,
  };
  const cells = writeBlock(at, values);
  const tableRange = formatRange({
    sheetId: parseSheet(t.text),
    startRow: t.startRow,
    startCol: t.startCol,
    endRow: at.endRow,
    endCol: at.endCol,
  });
  return {
    target: { ...at, text: formatRange({ sheetId: parseSheet(t.text), ...pick(at) }) },
    cells,
    tableRange,
  };
}

function parseSheet(text: string): string {
  return text.slice(0, text.indexOf("!"));
}

function pick(t: Target) {
  return { startRow: t.startRow, startCol: t.startCol, endRow: t.endRow, endCol: t.endCol };
}
