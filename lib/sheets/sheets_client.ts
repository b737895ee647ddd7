import "./sheets_codes.ts"; // Sheets 902xx codes
import { ParamError } from "../errors/param_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";
import {
  type CellRange,
  checkBounds,
  formatRange,
  MAX_ROWS_PER_CALL,
  splitRange,
  toRange,
} from "./a1_range.ts";
import { type CellStyle, toApiStyle } from "./cell_style.ts";
import { blockOf, type CellValue, place, slice } from "./_values.ts";
import { checkDimension, freezeProperties, spreadsheetPath } from "./_args.ts";

export type { CellValue } from "./_values.ts";

/** Rate bucket of the Sheets v2 APIs (100/s per API), for {@linkcode RateLimiter}. */
export const SHEETS_RATE_BUCKETS = { sheets: { perSecond: 100 } } as const;

export { MAX_CELL_CHARS } from "./_values.ts";

/** Read options. */
export interface ReadOptions {
  /** `ToString` | `Formula` | `FormattedValue` | `UnformattedValue` (API default `ToString`). */
  valueRenderOption?: "ToString" | "Formula" | "FormattedValue" | "UnformattedValue";
  /** `FormattedString` renders dates as text. */
  dateTimeRenderOption?: "FormattedString";
}

/** Values of one range. */
export interface RangeValues {
  /** The range read, `<sheetId>!A1:C10`. */
  range: string;
  /** Rows of cells. */
  values: CellValue[][];
}

/** Summary of a write. */
export interface WriteSummary {
  /** Cells written. */
  updatedCells: number;
  /** Spreadsheet revision after the last call. */
  revision: number;
  /** API calls made (> 1 when the data was split). */
  calls: number;
}

interface RawValueRange {
  range: string;
  values?: CellValue[][];
}

/**
 * Sheets: read and write ranges (and several at once, and append), style
 * cells, merge/unmerge, column widths / row heights and freeze panes. Ranges
 * go through the A1 helper (checked before any request) and are split into
 * blocks of 5,000 rows × 100 columns when larger. Indexes are 0-based and end
 * exclusive everywhere (see {@linkcode CellRange}).
 * API pages: open.feishu.cn/document/server-docs/docs/sheets-v3/…
 */
export class SheetsClient {
  readonly #http: LarkHttp;

  /** Create a client over the core's HTTP client. */
  constructor(http: LarkHttp) {
    this.#http = http;
  }

  /** Read one range (split into several calls when larger than 5,000 × 100). */
  async readRange(token: string, range: string | CellRange, options: ReadOptions = {}): Promise<RangeValues> {
    const r = toRange(range);
    const base = spreadsheetPath(token);
    const rows: CellValue[][] = Array.from({ length: r.endRow - r.startRow }, () => []);
    for (const block of splitRange(r)) {
      const { data } = await this.#http.request<{ valueRange: RawValueRange }>({
        path: `${base}/values/${encodeURIComponent(formatRange(block))}`,
        query: { ...options },
        bucket: "sheets",
      });
      place(rows, r, block, data.valueRange?.values ?? []);
    }
    return { range: formatRange(r), values: rows };
  }

  /** Read several ranges in one call (`values_batch_get`); each must fit in one call. */
  async readRanges(
    token: string,
    ranges: (string | CellRange)[],
    options: ReadOptions = {},
  ): Promise<RangeValues[]> {
    if (!Array.isArray(ranges) || ranges.length === 0) throw new ParamError("ranges", "至少一个范围");
    const texts = ranges.map((r, i) => formatRange(checkBounds(toRange(r, `ranges[${i}]`), `ranges[${i}]`)));
    const { data } = await this.#http.request<{ valueRanges: RawValueRange[] }>({
      path: `${spreadsheetPath(token)}/values_batch_get`,
      query: { ranges: texts.join(","), ...options },
      bucket: "sheets",
    });
    return (data.valueRanges ?? []).map((v) => ({ range: v.range, values: v.values ?? [] }));
  }

  /** Write `values` with its top-left cell at `start` (a range or `<sheetId>!B2`); split when larger. */
  async writeRange(token: string, start: string | CellRange, values: CellValue[][]): Promise<WriteSummary> {
    const at = toRange(start, "start");
    const full = blockOf(at, values, "values");
    const base = spreadsheetPath(token);
    const summary: WriteSummary = { updatedCells: 0, revision: 0, calls: 0 };
    for (const block of splitRange(full)) {
      const { data } = await this.#http.request<{ updatedCells: number; revision: number }>({
        method: "PUT",
        path: `${base}/values`,
        body: { valueRange: { range: formatRange(block), values: slice(values, full, block) } },
        bucket: "sheets",
      });
      summary.updatedCells += data.updatedCells ?? 0;
      summary.revision = data.revision ?? summary.revision;
      summary.calls++;
    }
    return summary;
  }

  /** Write several blocks in one call (`values_batch_update`); larger blocks are split into several entries. */
  async writeRanges(
    token: string,
    blocks: { start: string | CellRange; values: CellValue[][] }[],
  ): Promise<WriteSummary> {
    if (!Array.isArray(blocks) || blocks.length === 0) throw new ParamError("value_ranges", "至少一个范围");
    const valueRanges = blocks.flatMap((b, i) => {
      const full = blockOf(
        toRange(b.start, `value_ranges[${i}].range`),
        b.values,
        `value_ranges[${i}].values`,
      );
      return splitRange(full).map((block) => ({
        range: formatRange(block),
        values: slice(b.values, full, block),
      }));
    });
    const { data } = await this.#http.request<{ revision: number; responses?: { updatedCells?: number }[] }>({
      method: "POST",
      path: `${spreadsheetPath(token)}/values_batch_update`,
      body: { valueRanges },
      bucket: "sheets",
    });
    const updatedCells = (data.responses ?? []).reduce((n, r) => n + (r.updatedCells ?? 0), 0);
    return { updatedCells, revision: data.revision ?? 0, calls: 1 };
  }

  /**
   * Append rows after the data found in `range`'s columns (`values_append`);
   * more than 5,000 rows go in several calls, in order.
   */
  async appendRows(
    token: string,
    range: string | CellRange,
    values: CellValue[][],
    options: { insertDataOption?: "OVERWRITE" | "INSERT_ROWS" } = {},
  ): Promise<WriteSummary & { tableRange?: string }> {
    const r = toRange(range);
    blockOf(r, values, "values");
    if (values[0].length > r.endCol - r.startCol) throw new ParamError("values", "列数超出 range 的列宽");
    const summary: WriteSummary & { tableRange?: string } = { updatedCells: 0, revision: 0, calls: 0 };
    for (let i = 0; i < values.length; i += MAX_ROWS_PER_CALL) {
      const part = values.slice(i, i + MAX_ROWS_PER_CALL);
      const { data } = await this.#http.request<
        { tableRange?: string; revision: number; updates?: { updatedCells?: number } }
      >({
        method: "POST",
        path: `${spreadsheetPath(token)}/values_append`,
        query: { insertDataOption: options.insertDataOption },
        body: { valueRange: { range: formatRange(r), values: part } },
        bucket: "sheets",
      });
      summary.updatedCells += data.updates?.updatedCells ?? 0;
      summary.revision = data.revision ?? summary.revision;
      summary.tableRange ??= data.tableRange;
      summary.calls++;
    }
    return summary;
  }

  /** Style a range (font, colours, alignment, borders, number format); split when larger. */
  async setStyle(token: string, range: string | CellRange, style: CellStyle): Promise<WriteSummary> {
    const r = toRange(range);
    const apiStyle = toApiStyle(style);
    const summary: WriteSummary = { updatedCells: 0, revision: 0, calls: 0 };
    for (const block of splitRange(r)) {
      const { data } = await this.#http.request<{ updates?: { updatedCells?: number; revision?: number } }>({
        method: "PUT",
        path: `${spreadsheetPath(token)}/style`,
        body: { appendStyle: { range: formatRange(block), style: apiStyle } },
        bucket: "sheets",
      });
      summary.updatedCells += data.updates?.updatedCells ?? 0;
      summary.revision = data.updates?.revision ?? summary.revision;
      summary.calls++;
    }
    return summary;
  }

  /** Merge a range (≤ 5,000 × 100): all cells, each row, or each column. */
  async mergeCells(
    token: string,
    range: string | CellRange,
    mergeType: "MERGE_ALL" | "MERGE_ROWS" | "MERGE_COLUMNS" = "MERGE_ALL",
  ): Promise<void> {
    const r = checkBounds(toRange(range));
    if (!["MERGE_ALL", "MERGE_ROWS", "MERGE_COLUMNS"].includes(mergeType)) {
      throw new ParamError("merge_type", "只能是 MERGE_ALL/MERGE_ROWS/MERGE_COLUMNS");
    }
    await this.#http.request({
      method: "POST",
      path: `${spreadsheetPath(token)}/merge_cells`,
      body: { range: formatRange(r), mergeType },
      bucket: "sheets",
    });
  }

  /** Unmerge every merged block inside a range (≤ 5,000 × 100). */
  async unmergeCells(token: string, range: string | CellRange): Promise<void> {
    const r = checkBounds(toRange(range));
    await this.#http.request({
      method: "POST",
      path: `${spreadsheetPath(token)}/unmerge_cells`,
      body: { range: formatRange(r) },
      bucket: "sheets",
    });
  }

  /** Set the width (px) of columns `start` … `end - 1` (0-based, end exclusive). */
  setColumnWidths(
    token: string,
    sheetId: string,
    start: number,
    end: number,
    widthPx: number,
  ): Promise<void> {
    return this.#updateDimension(token, sheetId, "COLUMNS", start, end, { fixedSize: widthPx });
  }

  /** Set the height (px) of rows `start` … `end - 1` (0-based, end exclusive). */
  setRowHeights(token: string, sheetId: string, start: number, end: number, heightPx: number): Promise<void> {
    return this.#updateDimension(token, sheetId, "ROWS", start, end, { fixedSize: heightPx });
  }

  /** Show or hide rows/columns `start` … `end - 1` (0-based, end exclusive). */
  setVisible(
    token: string,
    sheetId: string,
    dimension: "ROWS" | "COLUMNS",
    start: number,
    end: number,
    visible: boolean,
  ): Promise<void> {
    return this.#updateDimension(token, sheetId, dimension, start, end, { visible });
  }

  /** Freeze the first `rows` rows and `cols` columns (0 unfreezes). */
  async freeze(token: string, sheetId: string, panes: { rows?: number; cols?: number }): Promise<void> {
    const properties = freezeProperties(sheetId, panes);
    await this.#http.request({
      method: "POST",
      path: `${spreadsheetPath(token)}/sheets_batch_update`,
      body: { requests: [{ updateSheet: { properties } }] },
      bucket: "sheets",
    });
  }

  /**
   * `PUT dimension_range`: this API counts from 1 with an inclusive end, so the
   * 0-based exclusive `[start, end)` becomes `startIndex = start + 1, endIndex = end`.
   */
  async #updateDimension(
    token: string,
    sheetId: string,
    majorDimension: "ROWS" | "COLUMNS",
    start: number,
    end: number,
    properties: { fixedSize?: number; visible?: boolean },
  ): Promise<void> {
    checkDimension(sheetId, start, end, properties.fixedSize);
    await this.#http.request({
      method: "PUT",
      path: `${spreadsheetPath(token)}/dimension_range`,
      body: {
        dimension: { sheetId, majorDimension, startIndex: start + 1, endIndex: end },
        dimensionProperties: properties,
      },
      bucket: "sheets",
    });
  }
}
