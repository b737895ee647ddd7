/**
 * Endpoints of the IM family.
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Path of the IM message list (GET) and send (POST) endpoints. */
export const IM_MESSAGES_PATH = "/open-apis/im/v1/messages";
/** Path pattern (Hono) of the IM message resource endpoint. */
export const IM_RESOURCE_PATH = "/open-apis/im/v1/messages/:message_id/resources/:file_key";

/** Message list and resource download. */
export const IM_READ_ENDPOINTS = [
  {
    name: "im_message_list",
    family: "open_api",
    method: "GET",
    path: IM_MESSAGES_PATH,
    title: "获取会话历史消息",
  },
  {
    name: "im_message_resource",
    family: "open_api",
    method: "GET",
    path: IM_RESOURCE_PATH,
    title: "获取消息中的资源文件（支持 Range）",
  },
] as const satisfies readonly EndpointSpec[];

/** Message send. */
export const IM_SEND_ENDPOINTS = [
  {
    name: "im_message_create",
    family: "open_api",
    method: "POST",
    path: IM_MESSAGES_PATH,
    title: "发送消息（含卡片）",
  },
] as const satisfies readonly EndpointSpec[];
