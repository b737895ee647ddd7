/**
 * Endpoints of the sandbox's meeting family. Names are what the journal,
 * rate limits and fault knobs are keyed by, exactly like the core endpoints.
 *
 * @module
 */
import type { EndpointInfo } from "../../endpoints.ts";

/** Names of the meeting family's endpoints. */
export type MeetingEndpointName =
  | "ws_endpoint"
  | "ws_connect"
  | "vc_recording"
  | "minute_get"
  | "minute_media"
  | "media_download"
  | "oauth_authorize"
  | "oauth_consent"
  | "oauth_token"
  | "user_info"
  | "im_message_create"
  | "contact_user_get"
  | "contact_users_batch"
  | "contact_users_by_department"
  | "contact_department_get"
  | "contact_department_children";

/** Path of the long-connection endpoint discovery. */
export const WS_ENDPOINT_PATH = "/callback/ws/endpoint";
/** Path of the sandbox's WebSocket (the real one lives on a `msg-frontier` host). */
export const WS_CONNECT_PATH = "/ws/v2";
/** Path of the recording endpoint. */
export const RECORDING_PATH = "/open-apis/vc/v1/meetings/:meeting_id/recording";
/** Path of the minute info endpoint. */
export const MINUTE_PATH = "/open-apis/minutes/v1/minutes/:minute_token";
/** Path of the minute media endpoint. */
export const MINUTE_MEDIA_PATH = "/open-apis/minutes/v1/minutes/:minute_token/media";
/** Path of the pre-signed media download (a CDN host in reality). */
export const MEDIA_DOWNLOAD_PATH = "/__media/:minute_token";
/** Path of the OAuth authorize page (accounts.feishu.cn in reality). */
export const AUTHORIZE_PATH = "/open-apis/authen/v1/authorize";
/** Path of the v2 OAuth token endpoint. */
export const OAUTH_TOKEN_PATH = "/open-apis/authen/v2/oauth/token";
/** Path of the "who am I" endpoint. */
export const USER_INFO_PATH = "/open-apis/authen/v1/user_info";
/** Path of the IM send endpoint. */
export const IM_MESSAGES_PATH = "/open-apis/im/v1/messages";
/** Path of the contact user endpoint. */
export const CONTACT_USER_PATH = "/open-apis/contact/v3/users/:user_id";
/** Path of the contact batch user endpoint (`?user_ids=…&user_ids=…`). */
export const CONTACT_USERS_BATCH_PATH = "/open-apis/contact/v3/users/batch";
/** Path of the contact "users in a department" endpoint. */
export const CONTACT_FIND_BY_DEPARTMENT_PATH = "/open-apis/contact/v3/users/find_by_department";
/** Path of the contact department endpoint. */
export const CONTACT_DEPARTMENT_PATH = "/open-apis/contact/v3/departments/:department_id";
/** Path of the contact child departments endpoint. */
export const CONTACT_CHILDREN_PATH = "/open-apis/contact/v3/departments/:department_id/children";

/** The meeting family's endpoints, in display order. */
export const MEETING_ENDPOINTS: readonly EndpointInfo[] = [
  ep("ws_endpoint", "token", "POST", WS_ENDPOINT_PATH, "长连接：获取 WebSocket 接入点"),
  ep("ws_connect", "open_api", "GET", WS_CONNECT_PATH, "长连接：WebSocket（pbbp2 帧）"),
  ep("vc_recording", "open_api", "GET", RECORDING_PATH, "获取会议录制信息"),
  ep("minute_get", "open_api", "GET", MINUTE_PATH, "获取妙记信息"),
  ep("minute_media", "open_api", "GET", MINUTE_MEDIA_PATH, "获取妙记音视频下载链接"),
  ep("media_download", "open_api", "GET", MEDIA_DOWNLOAD_PATH, "下载妙记视频（预签名链接，支持 Range）"),
  ep("oauth_authorize", "open_api", "GET", AUTHORIZE_PATH, "用户授权页（获取授权码）"),
  ep("oauth_consent", "open_api", "POST", AUTHORIZE_PATH, "沙箱授权页的“授权/拒绝”提交"),
  ep("oauth_token", "oauth", "POST", OAUTH_TOKEN_PATH, "获取/刷新 user_access_token（v2）"),
  ep("user_info", "open_api", "GET", USER_INFO_PATH, "获取登录用户信息"),
  ep("im_message_create", "open_api", "POST", IM_MESSAGES_PATH, "发送消息（含卡片）"),
  ep("contact_user_get", "open_api", "GET", CONTACT_USER_PATH, "获取单个用户信息"),
  ep("contact_users_batch", "open_api", "GET", CONTACT_USERS_BATCH_PATH, "批量获取用户信息"),
  ep(
    "contact_users_by_department",
    "open_api",
    "GET",
    CONTACT_FIND_BY_DEPARTMENT_PATH,
    "获取部门直属用户列表",
  ),
  ep("contact_department_get", "open_api", "GET", CONTACT_DEPARTMENT_PATH, "获取单个部门信息"),
  ep("contact_department_children", "open_api", "GET", CONTACT_CHILDREN_PATH, "获取子部门列表"),
];

function ep(
  name: MeetingEndpointName,
  family: EndpointInfo["family"],
  method: EndpointInfo["method"],
  path: string,
  title: string,
): EndpointInfo {
  return { name, family, method, path, title };
}
