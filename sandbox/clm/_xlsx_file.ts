/**
 * Builds the xlsx file of one export (internal): the header row
 * {@linkcode COOPERATION_COLUMNS} and the first `EXPORT_ROW_CAP` matching
 * records by creation time. Date columns are real date cells showing the
 * wall-clock time of the request's `Timezone-Offset` (SheetJS dense + UTC:
 * the Date's UTC fields are the wall time).
 *
 * @module
 */
import * as XLSX from "xlsx";
import { COOPERATION_COLUMNS, type CooperationRecord } from "./records.ts";

/** Sheet name of an exported file. */
export const EXPORT_SHEET_NAME = "协同操作记录";
/** MIME type of xlsx. */
export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The xlsx bytes for `records`, dates shown in the zone `tzOffset` (e.g. -480). */
export function buildExportXlsx(
  records: readonly CooperationRecord[],
  tzOffset: number,
): Uint8Array<ArrayBuffer> {
  const shift = -tzOffset * 60_000;
  const aoa: unknown[][] = [COOPERATION_COLUMNS.slice()];
  for (const r of records) {
    aoa.push(COOPERATION_COLUMNS.map((col) => {
      if (col === "记录ID") return r.id;
      if (col === "操作时间") return new Date(r.operateTime + shift);
      if (col === "创建时间") return new Date(r.createTime + shift);
      return r.fields[col] ?? null;
    }));
  }
  const ws = XLSX.utils.aoa_to_sheet(aoa, {
    dense: true,
    UTC: true,
    dateNF: "yyyy-mm-dd hh:mm:ss",
  } as XLSX.AOA2SheetOpts);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, EXPORT_SHEET_NAME);
  return new Uint8Array(
    XLSX.write(wb, { type: "array", bookType: "xlsx", compression: true, bookSST: true }) as ArrayBuffer,
  );
}

/** `Content-Disposition: attachment` with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
