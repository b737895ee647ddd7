/**
 * Contract number → openChatId: read a list, resolve each contract through
 * search → contractAndTask → cooperation/info under shared rate limits,
 * journal every result, and write the Excel.
 *
 * @module
 */
export * from "./config.ts";
export * from "./context.ts";
export * from "./contract_number_shape.ts";
export * from "./input.ts";
export * from "./journal.ts";
export * from "./keep_better_output.ts";
export * from "./output.ts";
export * from "./output_from_journal.ts";
export * from "./resolve.ts";
export * from "./row.ts";
export * from "./resolver.ts";
export * from "./run.ts";
export * from "./status.ts";
export * from "./summary.ts";
export * from "./worker_resolver.ts";
// Types that the public signatures above refer to.
export type { WorkerGrants } from "../../lib/worker/restricted_worker.ts";
export type { Schema, SchemaIssue, SchemaResult } from "../../lib/validate/schema.ts";
