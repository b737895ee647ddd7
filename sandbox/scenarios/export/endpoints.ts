/**
 * Endpoints of the sandbox's export family: the CLM export call, the CLM
 * cooperation-record list (the optional count source), the IM Open
 * API endpoints that list the bot's messages and download their files, and
 * the JSON endpoints behind the messenger web pages (cookie
 * `messenger_session`; they refuse like the CLM web app, hence family `clm`).
 *
 * @module
 */
import { CLM_PATHS } from "../../clm/shapes.ts";
import type { EndpointInfo } from "../../endpoints.ts";

/** Names of the export family's endpoints. */
export type ExportEndpointName =
  | "cooperation_export"
  | "cooperation_search"
  | "export_im_messages"
  | "export_im_resource"
  | "messenger_login_status"
  | "messenger_chats"
  | "messenger_messages"
  | "messenger_file";

/** Path of the CLM export endpoint. */
export const COOPERATION_EXPORT_PATH = CLM_PATHS.exportRecords;
/**
 * Path of the CLM cooperation-record list endpoint. ASSUMPTION: the real path
 * is undocumented; the pipeline replays whatever the browser called (its
 * `count.curl`), so only the sandbox uses this one.
 */
export const COOPERATION_SEARCH_PATH = CLM_PATHS.searchRecords;
/** Path of the IM message list endpoint. */
export const IM_MESSAGES_PATH = "/open-apis/im/v1/messages";
/** Path pattern (Hono) of the IM message resource endpoint. */
export const IM_RESOURCE_PATH = "/open-apis/im/v1/messages/:message_id/resources/:file_key";
/** Root of the messenger web pages. */
export const MESSENGER_ROOT = "/messenger";

/** The export family's endpoints, in display order. */
export const EXPORT_ENDPOINTS: readonly EndpointInfo[] = [
  {
    name: "cooperation_export",
    family: "clm",
    method: "POST",
    path: COOPERATION_EXPORT_PATH,
    title: "CLM 网页接口：导出协同操作记录（结果以「飞书合同」机器人消息送达）",
  },
  {
    name: "cooperation_search",
    family: "clm",
    method: "POST",
    path: COOPERATION_SEARCH_PATH,
    title: "CLM 网页接口：协同操作记录列表（分页，含总数；路径为沙箱假设，导出可用它精确计数）",
  },
  {
    name: "export_im_messages",
    family: "open_api",
    method: "GET",
    path: IM_MESSAGES_PATH,
    title: "获取会话历史消息（「飞书合同」会话中的导出结果）",
  },
  {
    name: "export_im_resource",
    family: "open_api",
    method: "GET",
    path: IM_RESOURCE_PATH,
    title: "下载消息中的文件（导出的 xlsx）",
  },
  {
    name: "messenger_login_status",
    family: "clm",
    method: "GET",
    path: `${MESSENGER_ROOT}/api/login/status`,
    title: "飞书网页版（沙箱）：扫码登录状态",
  },
  {
    name: "messenger_chats",
    family: "clm",
    method: "GET",
    path: `${MESSENGER_ROOT}/api/chats`,
    title: "飞书网页版（沙箱）：会话列表",
  },
  {
    name: "messenger_messages",
    family: "clm",
    method: "GET",
    path: `${MESSENGER_ROOT}/api/chats/:chat_id/messages`,
    title: "飞书网页版（沙箱）：会话消息",
  },
  {
    name: "messenger_file",
    family: "clm",
    method: "GET",
    path: `${MESSENGER_ROOT}/api/messages/:message_id/file`,
    title: "飞书网页版（沙箱）：下载消息文件",
  },
];
