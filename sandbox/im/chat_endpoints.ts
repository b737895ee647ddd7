/**
 * Endpoints of chat search and chat details (IM family).
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Path of chat search. */
export const IM_CHAT_SEARCH_PATH = "/open-apis/im/v1/chats/search";
/** Path of chat details. */
export const IM_CHAT_PATH = "/open-apis/im/v1/chats/:chat_id";

/** Chat search and details. */
export const IM_CHAT_ENDPOINTS = [
  {
    name: "im_chat_search",
    family: "open_api",
    method: "GET",
    path: IM_CHAT_SEARCH_PATH,
    title: "搜索对用户或机器人可见的群列表",
  },
  {
    name: "im_chat_get",
    family: "open_api",
    method: "GET",
    path: IM_CHAT_PATH,
    title: "获取群信息",
  },
] as const satisfies readonly EndpointSpec[];
