/**
 * Endpoints of the Sheets family (sheets v2 data, style, merge, dimension and sheet properties).
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";
import type { RateLimitTable } from "../options.ts";

const S = "/open-apis/sheets/v2/spreadsheets/:spreadsheet_token";

/** Path of a single-range read. */
export const SHEETS_READ_PATH = `${S}/values/:range`;
/** Path of a single-range write (PUT). */
export const SHEETS_WRITE_PATH = `${S}/values`;
/** Path of the multi-range read. */
export const SHEETS_BATCH_READ_PATH = `${S}/values_batch_get`;
/** Path of the multi-range write. */
export const SHEETS_BATCH_WRITE_PATH = `${S}/values_batch_update`;
/** Path of append. */
export const SHEETS_APPEND_PATH = `${S}/values_append`;
/** Path of the style update. */
export const SHEETS_STYLE_PATH = `${S}/style`;
/** Path of merge. */
export const SHEETS_MERGE_PATH = `${S}/merge_cells`;
/** Path of unmerge. */
export const SHEETS_UNMERGE_PATH = `${S}/unmerge_cells`;
/** Path of the row/column properties update (PUT). */
export const SHEETS_DIMENSION_PATH = `${S}/dimension_range`;
/** Path of the sheet operations (freeze panes). */
export const SHEETS_SHEETS_BATCH_PATH = `${S}/sheets_batch_update`;

/** Sheets endpoints. */
export const SHEETS_ENDPOINTS = [
  {
    name: "sheets_values_get",
    family: "open_api",
    method: "GET",
    path: SHEETS_READ_PATH,
    title: "电子表格：读取单个范围",
  },
  {
    name: "sheets_values_batch_get",
    family: "open_api",
    method: "GET",
    path: SHEETS_BATCH_READ_PATH,
    title: "电子表格：读取多个范围",
  },
  {
    name: "sheets_values_put",
    family: "open_api",
    method: "PUT",
    path: SHEETS_WRITE_PATH,
    title: "电子表格：写入单个范围",
  },
  {
    name: "sheets_values_batch_update",
    family: "open_api",
    method: "POST",
    path: SHEETS_BATCH_WRITE_PATH,
    title: "电子表格：写入多个范围",
  },
  {
    name: "sheets_values_append",
    family: "open_api",
    method: "POST",
    path: SHEETS_APPEND_PATH,
    title: "电子表格：追加数据",
  },
  {
    name: "sheets_style",
    family: "open_api",
    method: "PUT",
    path: SHEETS_STYLE_PATH,
    title: "电子表格：设置单元格样式",
  },
  {
    name: "sheets_merge",
    family: "open_api",
    method: "POST",
    path: SHEETS_MERGE_PATH,
    title: "电子表格：合并单元格",
  },
  {
    name: "sheets_unmerge",
    family: "open_api",
    method: "POST",
    path: SHEETS_UNMERGE_PATH,
    title: "电子表格：拆分单元格",
  },
  {
    name: "sheets_dimension_update",
    family: "open_api",
    method: "PUT",
    path: SHEETS_DIMENSION_PATH,
    title: "电子表格：更新行列（宽高、隐藏）",
  },
  {
    name: "sheets_sheets_batch_update",
    family: "open_api",
    method: "POST",
    path: SHEETS_SHEETS_BATCH_PATH,
    title: "电子表格：更新工作表属性（冻结行列）",
  },
] as const satisfies readonly EndpointSpec[];

/** Documented limits: 100/s per API × app (the frequency tier on each sheets page). */
export const SHEETS_RATE_LIMITS: Readonly<RateLimitTable> = Object.fromEntries(
  SHEETS_ENDPOINTS.map((e) => [e.name, { perSecond: 100 }]),
);

/** Name of a Sheets endpoint. */
export type SheetsEndpointName = (typeof SHEETS_ENDPOINTS)[number]["name"];
