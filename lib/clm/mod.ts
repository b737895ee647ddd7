/**
 * contract.feishu.cn web endpoints (cookie session): contract → cooperation →
 * group chat, and (later) the cooperation-record export.
 *
 * @module
 */
export * from "./clm_api.ts";
export * from "./cookie_auth.ts";
export * from "./curl_parse.ts";
export * from "./export_api.ts";
