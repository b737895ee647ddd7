/**
 * Web Workers with only the permissions a stage needs.
 *
 * @module
 */
export * from "./restricted_worker.ts";
