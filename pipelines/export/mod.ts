/**
 * Bulk export of contract cooperation records (`deno task export`): adaptive
 * date windows under the 1,000-row export cap, export calls through the
 * core HTTP client, files collected from the "飞书合同" bot, merged, verified
 * and reported, resumable after any stop. With `count.curl` (the page's list
 * request, copied as cURL) windows are sized with exact counts, so export
 * calls stay close to the minimum.
 *
 * @example
 * ```ts
 * import { type Collector, createExportContext, ExportConfigSchema, resolveExportAuth, runExport } from "./mod.ts";
 *
 * declare const myCollector: Collector; // browser or Open API implementation
 * // count.curl is optional: without it windows are sized from the export totals seen so far.
 * const config = ExportConfigSchema.parse({ auth: { curl: "curl.txt" }, count: { curl: "list-curl.txt" } });
 * const auth = await resolveExportAuth(config);
 * const ctx = await createExportContext(config, auth);
 * const result = await runExport({
 *   config,
 *   client: ctx.api,
 *   fingerprint: ctx.fingerprint,
 *   collector: () => Promise.resolve(myCollector),
 * });
 * console.log(result.message);
 * ```
 *
 * @module
 */
export * from "./collect.ts";
export * from "./collect_worker.ts";
export * from "./collector.ts";
export * from "./config.ts";
export * from "./context.ts";
export * from "./count_context.ts";
export * from "./coverage.ts";
export * from "./dates.ts";
export * from "./ledger.ts";
export * from "./list.ts";
export * from "./match.ts";
export * from "./merge.ts";
export * from "./merge_summary.ts";
export * from "./naming.ts";
export * from "./notice_parse.ts";
export * from "./parse_files.ts";
export * from "./plan.ts";
export * from "./plan_count.ts";
export * from "./range_counts.ts";
export * from "./replay.ts";
export * from "./report.ts";
export * from "./request.ts";
export * from "./request_worker.ts";
export * from "./rerun_stage.ts";
export * from "./run.ts";
export * from "./stage_log.ts";
export * from "./verify.ts";
export * from "./verify_dir.ts";
export * from "./verify_markdown.ts";
export * from "./window.ts";
// Types that the public signatures above refer to.
export type { BrowserCollectorOptions, QrPrompt } from "./collect_browser.ts";
export type { BrowserSource, FoundBrowser } from "../../lib/browser/find_browser.ts";
export type { WorkerGrants } from "../../lib/worker/restricted_worker.ts";
export type { NdjsonWriter, NdjsonWriterOptions } from "../../lib/ndjson/ndjson_writer.ts";
export type { ReadNdjsonOptions } from "../../lib/ndjson/read_ndjson.ts";
export type { NdjsonLineError } from "../../lib/ndjson/ndjson_line_error.ts";
export type { Schema, SchemaIssue, SchemaResult } from "../../lib/validate/schema.ts";
