/**
 * Typed errors. Every expected failure is a {@linkcode LarkError} carrying
 * Feishu's code, HTTP status, `X-Tt-Logid`, our request id, whether a retry
 * can help, and a Chinese hint; {@linkcode errorFromResponse} classifies a
 * failed response by the code table in {@linkcode ERROR_CODES}.
 *
 * @module
 */
export * from "./lark_error.ts";
export * from "./auth_error.ts";
export * from "./bad_request_error.ts";
export * from "./config_error.ts";
export * from "./network_error.ts";
export * from "./not_found_error.ts";
export * from "./permission_error.ts";
export * from "./rate_limit_error.ts";
export * from "./server_error.ts";
export * from "./session_error.ts";
export * from "./param_error.ts";
export * from "./error_codes.ts";
