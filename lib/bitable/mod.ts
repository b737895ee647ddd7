/**
 * Base (bitable v1) records: create, search (paged transparently), update,
 * delete; batch create/update (≤ 1,000 per call) and delete (≤ 500) chunked
 * automatically with per-chunk results; one write at a time per table with
 * write conflicts (1254291) retried; attachment download with the
 * `bitablePerm` extra. Bad input is refused before any request
 * (`BadRequestError` naming the field).
 *
 * @example
 * ```ts
 * import { BitableClient } from "./mod.ts";
 * import { LarkHttp } from "../http/mod.ts";
 *
 * declare const http: LarkHttp;
 * const base = new BitableClient(http);
 * const rows = Array.from({ length: 2500 }, (_, i) => ({ 名称: `任务 ${i}` }));
 * const result = await base.batchCreate("appXXXX", "tblXXXX", rows); // 3 calls of ≤ 1,000
 * console.log(result.items.length, result.failed.length);
 * for await (const r of base.searchRecords("appXXXX", "tblXXXX", {
 *   filter: { conditions: [{ fieldName: "名称", operator: "contains", value: ["任务 1"] }] },
 * })) console.log(r.recordId, r.fields);
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./table_write_queue.ts";
export * from "./bitable_client.ts";
export * from "./download_attachment.ts";
export { MAX_BATCH_DELETE, MAX_BATCH_WRITE } from "./_validate.ts";
export * from "./bitable_codes.ts";
