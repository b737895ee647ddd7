/**
 * JSON endpoints behind the stand-in messenger web pages (cookie
 * `messenger_session`; they refuse like the CLM web app, hence family `clm`).
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Root of the messenger web pages. */
export const MESSENGER_ROOT = "/messenger";

/** Messenger endpoints. */
export const MESSENGER_ENDPOINTS = [
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
] as const satisfies readonly EndpointSpec[];
