/**
 * SQLite (built-in `node:sqlite`) as every store uses it: owner-only files, WAL, busy
 * timeout, busy-safe open, `BEGIN IMMEDIATE` transactions, and text that round-trips
 * exactly (`node:sqlite` cuts text at a NUL and turns lone surrogates into U+FFFD).
 *
 * @module
 */
export * from "./open_database.ts";
export * from "./immediate.ts";
export * from "./retry_busy.ts";
export * from "./safe_text.ts";
export * from "./safe_database.ts";
