/**
 * Endpoints of the Base (bitable v1) records family, and the drive media
 * download its attachments use.
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";
import type { RateLimitTable } from "../options.ts";

const RECORDS = "/open-apis/bitable/v1/apps/:app_token/tables/:table_id/records";

/** Path of record create (POST). */
export const BITABLE_RECORDS_PATH = RECORDS;
/** Path of one record (PUT update, DELETE). */
export const BITABLE_RECORD_PATH = `${RECORDS}/:record_id`;
/** Path of record search. */
export const BITABLE_SEARCH_PATH = `${RECORDS}/search`;
/** Path of batch create. */
export const BITABLE_BATCH_CREATE_PATH = `${RECORDS}/batch_create`;
/** Path of batch update. */
export const BITABLE_BATCH_UPDATE_PATH = `${RECORDS}/batch_update`;
/** Path of batch delete. */
export const BITABLE_BATCH_DELETE_PATH = `${RECORDS}/batch_delete`;
/** Path of the drive media download (attachments). */
export const BITABLE_MEDIA_DOWNLOAD_PATH = "/open-apis/drive/v1/medias/:file_token/download";

/** Base record endpoints. */
export const BITABLE_ENDPOINTS = [
  {
    name: "bitable_record_create",
    family: "open_api",
    method: "POST",
    path: RECORDS,
    title: "多维表格：新增记录",
  },
  {
    name: "bitable_record_update",
    family: "open_api",
    method: "PUT",
    path: BITABLE_RECORD_PATH,
    title: "多维表格：更新记录",
  },
  {
    name: "bitable_record_delete",
    family: "open_api",
    method: "DELETE",
    path: BITABLE_RECORD_PATH,
    title: "多维表格：删除记录",
  },
  {
    name: "bitable_record_search",
    family: "open_api",
    method: "POST",
    path: BITABLE_SEARCH_PATH,
    title: "多维表格：查询记录（筛选、排序、分页）",
  },
  {
    name: "bitable_batch_create",
    family: "open_api",
    method: "POST",
    path: BITABLE_BATCH_CREATE_PATH,
    title: "多维表格：批量新增记录（≤ 1000）",
  },
  {
    name: "bitable_batch_update",
    family: "open_api",
    method: "POST",
    path: BITABLE_BATCH_UPDATE_PATH,
    title: "多维表格：批量更新记录（≤ 1000）",
  },
  {
    name: "bitable_batch_delete",
    family: "open_api",
    method: "POST",
    path: BITABLE_BATCH_DELETE_PATH,
    title: "多维表格：批量删除记录（≤ 500）",
  },
  {
    name: "bitable_media_download",
    family: "open_api",
    method: "GET",
    path: BITABLE_MEDIA_DOWNLOAD_PATH,
    title: "下载多维表格附件（extra=bitablePerm，支持 Range）",
  },
] as const satisfies readonly EndpointSpec[];

/**
 * Documented limits (per API × app): search 20/s, writes 50/s
 * (open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/search, …/create);
 * media download "5 QPS" per the drive media page.
 */
export const BITABLE_RATE_LIMITS: Readonly<RateLimitTable> = {
  bitable_record_search: { perSecond: 20 },
  bitable_record_create: { perSecond: 50 },
  bitable_record_update: { perSecond: 50 },
  bitable_record_delete: { perSecond: 50 },
  bitable_batch_create: { perSecond: 50 },
  bitable_batch_update: { perSecond: 50 },
  bitable_batch_delete: { perSecond: 50 },
  bitable_media_download: { perSecond: 5 },
};
