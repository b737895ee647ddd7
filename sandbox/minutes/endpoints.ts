/**
 * Endpoints of the minutes family, and the signed media link standing in for the CDN.
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Path of the minute info endpoint. */
export const MINUTE_PATH = "/open-apis/minutes/v1/minutes/:minute_token";
/** Path of the minute media endpoint. */
export const MINUTE_MEDIA_PATH = "/open-apis/minutes/v1/minutes/:minute_token/media";
/** Path of the signed media download (stands in for the CDN link). */
export const MEDIA_DOWNLOAD_PATH = "/__media/:minute_token";

/** Minutes endpoints. */
export const MINUTES_ENDPOINTS = [
  {
    name: "minute_get",
    family: "open_api",
    method: "GET",
    path: MINUTE_PATH,
    title: "获取妙记信息",
  },
  {
    name: "minute_media",
    family: "open_api",
    method: "GET",
    path: MINUTE_MEDIA_PATH,
    title: "获取妙记音视频下载链接",
  },
  {
    name: "media_download",
    family: "open_api",
    method: "GET",
    path: MEDIA_DOWNLOAD_PATH,
    title: "下载妙记视频（预签名链接，支持 Range）",
  },
] as const satisfies readonly EndpointSpec[];
