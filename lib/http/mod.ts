/**
 * The fetch-based HTTP client: timeouts, Feishu's JSON envelope, typed errors,
 * retries, shared rate limits, token refresh and masked logs; and
 * `serveGuarded`, `Deno.serve` behind a TCP front with a header timeout and a
 * connection bound.
 *
 * @module
 */
export * from "./lark_http.ts";
export * from "./net_permission_error.ts";
export * from "./request_id.ts";
export { type Traced, traceRequests } from "./trace_requests.ts";
export * from "./serve_guarded.ts";
export * from "./paginate.ts";
