/**
 * Retry with exponential backoff and jitter, honouring Feishu's
 * `x-ogw-ratelimit-reset` and retrying a refused token once after a refresh.
 *
 * @module
 */
export * from "./backoff.ts";
export * from "./retry.ts";
export * from "./retry_after.ts";
