/**
 * Structured logging: NDJSON file lines and short console lines, with every
 * token, cookie and secret masked before it is written.
 *
 * @module
 */
export * from "./logger.ts";
export * from "./mask.ts";
export * from "./ndjson_sink.ts";
export * from "./console_sink.ts";
