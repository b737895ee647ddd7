import * as XLSX from "xlsx";
import { atomicWriteFile, ensureParentDir } from "../fs/atomic_write.ts";

/** One sheet to write. */
export interface SheetData {
  /** Sheet name (≤ 31 characters). */
  name: string;
  /** Column headers, in order. */
  columns: readonly string[];
  /** Rows keyed by column header; missing values are left empty. */
  rows: readonly Record<string, unknown>[];
}

/** Build an xlsx workbook in memory (dates kept as real dates, UTC). */
export function buildXlsx(sheets: readonly SheetData[]): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const s of sheets) {
    const aoa: unknown[][] = [s.columns.slice()];
    for (const r of s.rows) aoa.push(s.columns.map((c) => r[c] ?? null));
    const ws = XLSX.utils.aoa_to_sheet(aoa, { dense: true, UTC: true } as XLSX.AOA2SheetOpts);
    XLSX.utils.book_append_sheet(wb, ws, s.name.slice(0, 31));
  }
  return new Uint8Array(
    XLSX.write(wb, { type: "array", bookType: "xlsx", compression: true }) as ArrayBuffer,
  );
}

/** Write sheets to `path` atomically (`.part` then rename). */
export async function writeXlsx(path: string, sheets: readonly SheetData[]): Promise<void> {
  await ensureParentDir(path);
  await atomicWriteFile(path, buildXlsx(sheets));
}
