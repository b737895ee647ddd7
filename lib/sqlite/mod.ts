/**
 * SQLite (built-in `node:sqlite`) as every store uses it: WAL, busy timeout,
 * busy-safe open, and `BEGIN IMMEDIATE` transactions.
 *
 * @module
 */
export * from "./open_database.ts";
export * from "./immediate.ts";
export * from "./retry_busy.ts";
