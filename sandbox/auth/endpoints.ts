/**
 * Endpoints of the auth family: auth v3 app/tenant tokens, user OAuth and `user_info`.
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Path of the tenant token endpoint (self-built apps). */
export const TENANT_TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
/** Path of the app token endpoint (self-built apps). */
export const APP_TOKEN_PATH = "/open-apis/auth/v3/app_access_token/internal";
/** Path of the OAuth authorize page (on accounts.feishu.cn in reality). */
export const AUTHORIZE_PATH = "/open-apis/authen/v1/authorize";
/** Path of the v2 OAuth token endpoint. */
export const OAUTH_TOKEN_PATH = "/open-apis/authen/v2/oauth/token";
/** Path of the logged-in user endpoint. */
export const USER_INFO_PATH = "/open-apis/authen/v1/user_info";

/** App and tenant token endpoints. */
export const APP_TOKEN_ENDPOINTS = [
  {
    name: "tenant_token",
    family: "token",
    method: "POST",
    path: TENANT_TOKEN_PATH,
    title: "获取 tenant_access_token（自建应用）",
  },
  {
    name: "app_token",
    family: "token",
    method: "POST",
    path: APP_TOKEN_PATH,
    title: "获取 app_access_token（自建应用）",
  },
] as const satisfies readonly EndpointSpec[];

/** User OAuth and `user_info`. */
export const OAUTH_ENDPOINTS = [
  {
    name: "oauth_authorize",
    family: "open_api",
    method: "GET",
    path: AUTHORIZE_PATH,
    title: "用户授权页（获取授权码）",
  },
  {
    name: "oauth_consent",
    family: "open_api",
    method: "POST",
    path: AUTHORIZE_PATH,
    title: "沙箱授权页的“授权/拒绝”提交",
  },
  {
    name: "oauth_token",
    family: "oauth",
    method: "POST",
    path: OAUTH_TOKEN_PATH,
    title: "获取/刷新 user_access_token（v2）",
  },
  {
    name: "user_info",
    family: "open_api",
    method: "GET",
    path: USER_INFO_PATH,
    title: "获取登录用户信息",
  },
] as const satisfies readonly EndpointSpec[];
