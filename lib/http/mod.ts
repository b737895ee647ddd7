/**
 * The fetch-based HTTP client: timeouts, Feishu's JSON envelope, typed errors,
 * retries, shared rate limits, token refresh and masked logs.
 *
 * @module
 */
export * from "./lark_http.ts";
export * from "./net_permission_error.ts";
export * from "./request_id.ts";
