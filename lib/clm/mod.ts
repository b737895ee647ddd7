/**
 * contract.feishu.cn web endpoints (cookie session): contract → cooperation →
 * group chat, the cooperation-record export, and exact record counts from the
 * captured list request.
 *
 * @module
 */
export * from "./clm_api.ts";
export * from "./cookie_auth.ts";
export * from "./count_api.ts";
export * from "./curl_parse.ts";
export * from "./export_api.ts";
