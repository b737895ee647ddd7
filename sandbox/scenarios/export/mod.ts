/**
 * The sandbox's export family: what the bulk export of contract cooperation
 * records talks to.
 *
 * - `POST /clm/api/cooperation/exportCooperationRecords` (CLM `session` cookie):
 *   counts the seeded records in `[fromMs, toMs]` and answers `{code:0,
 *   data:{taskId, total}}`; after `deliveryDelayMs` the 飞书合同 bot posts
 *   `协同操作记录导出完成：YYYY-MM-DD 至 YYYY-MM-DD，共 N 条` (plus
 *   `，超出单次导出上限 1000 条，文件仅包含前 1000 条` when N > 1000) with the
 *   xlsx (at most 1 000 rows, the first by creation time).
 * - `POST /clm/api/cooperation/searchCooperationRecords` (CLM `session` cookie;
 *   path and shape are an ASSUMPTION): the record list for the same body plus
 *   `pageNum`/`pageSize`, answering `{code:0, data:{total, list}}`; the
 *   export's optional count source replays it with `pageSize: 1`.
 * - A messenger web app under `/messenger/` (QR login, chat list, the
 *   飞书合同 chat with a 下载文件 button) for browser automation.
 * - `GET /open-apis/im/v1/messages` and `…/messages/:id/resources/:file_key`
 *   with a user token, for an Open API collector.
 * - Control endpoints `/__sandbox/export`, `/__sandbox/messenger{,/scan,/logout}`.
 *
 * The data set (default 80 000 records, 2022-01-01..today in UTC+8, uneven
 * density with a few days over 1 000) is generated lazily from the seed.
 *
 * @example
 * ```ts
 * import { createSandbox } from "../../mod.ts";
 * import { exportFamily } from "./mod.ts";
 *
 * const sandbox = createSandbox({ export: { recordCount: 3000, endDate: "2024-12-31" } });
 * const family = exportFamily(sandbox.state);
 * console.log(family.dataset.daysOver(1000), family.botChatId);
 * ```
 *
 * @module
 */
export * from "./options.ts";
export * from "./endpoints.ts";
export * from "../../clm/records.ts";
export * from "../../clm/dataset.ts";
export * from "../../clm/search.ts";
export * from "../../clm/notice_text.ts";
export * from "../../messenger/messenger_auth.ts";
export * from "../../clm/export_task.ts";
export * from "../../im/chat_message.ts";
export * from "./family.ts";
export * from "./banner.ts";
export { applyExportControl, type ExportControlRequest, exportOverview } from "../../control/_export.ts";
export { attachmentHeader, buildExportXlsx, EXPORT_SHEET_NAME, XLSX_MIME } from "../../clm/_xlsx_file.ts";
export type { MessengerMessage } from "../../messenger/routes.ts";
