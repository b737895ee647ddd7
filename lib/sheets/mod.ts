/**
 * Sheets: read and write ranges (one, several, append), cell styles,
 * merge/unmerge, column widths and row heights, freeze panes. Ranges are
 * built and checked by the A1 helper (sheet id + A1 notation, the 5,000 ×
 * 100 per-call bound, split when larger); every index is 0-based with an
 * exclusive end, whatever base the underlying API uses.
 *
 * @example
 * ```ts
 * import { cellRange, SheetsClient } from "./mod.ts";
 * import { LarkHttp } from "../http/mod.ts";
 *
 * declare const http: LarkHttp;
 * const sheets = new SheetsClient(http);
 * await sheets.writeRange("shtcnXXXX", "0b12cd!A1", [["姓名", "部门"], ["张三", "研发"]]);
 * await sheets.setStyle("shtcnXXXX", cellRange("0b12cd", 0, 0, 1, 2), { bold: true, background: "#FFF2CC" });
 * await sheets.setColumnWidths("shtcnXXXX", "0b12cd", 0, 2, 160); // columns A–B
 * await sheets.freeze("shtcnXXXX", "0b12cd", { rows: 1 });
 * const { values } = await sheets.readRange("shtcnXXXX", "0b12cd!A1:B2");
 * console.log(values);
 * ```
 *
 * @module
 */
export * from "./a1_range.ts";
export * from "./cell_style.ts";
export * from "./sheets_client.ts";
export * from "./sheets_codes.ts";
