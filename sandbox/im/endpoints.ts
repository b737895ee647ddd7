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

/** Path pattern (Hono) of recall (DELETE), edit (PUT) and card update (PATCH). */
export const IM_MESSAGE_PATH = "/open-apis/im/v1/messages/:message_id";
/** Path pattern (Hono) of reply. */
export const IM_REPLY_PATH = "/open-apis/im/v1/messages/:message_id/reply";
/** Path of the image upload. */
export const IM_IMAGES_PATH = "/open-apis/im/v1/images";
/** Path of the file upload. */
export const IM_FILES_PATH = "/open-apis/im/v1/files";

/** Reply, recall, edit, card update and uploads. */
export const IM_MANAGE_ENDPOINTS = [
  {
    name: "im_message_reply",
    family: "open_api",
    method: "POST",
    path: IM_REPLY_PATH,
    title: "回复消息（含话题回复）",
  },
  {
    name: "im_message_delete",
    family: "open_api",
    method: "DELETE",
    path: IM_MESSAGE_PATH,
    title: "撤回消息",
  },
  {
    name: "im_message_update",
    family: "open_api",
    method: "PUT",
    path: IM_MESSAGE_PATH,
    title: "编辑消息（文本、富文本）",
  },
  {
    name: "im_message_patch",
    family: "open_api",
    method: "PATCH",
    path: IM_MESSAGE_PATH,
    title: "更新应用发送的消息卡片",
  },
  { name: "im_image_create", family: "open_api", method: "POST", path: IM_IMAGES_PATH, title: "上传图片" },
  { name: "im_file_create", family: "open_api", method: "POST", path: IM_FILES_PATH, title: "上传文件" },
] as const satisfies readonly EndpointSpec[];

/** Path of batch send (v4; the documented path ends with a slash). */
export const IM_BATCH_SEND_PATH = "/open-apis/message/v4/batch_send/";

/** Batch send to users and departments. */
export const IM_BATCH_ENDPOINTS = [
  {
    name: "im_batch_send",
    family: "open_api",
    method: "POST",
    path: IM_BATCH_SEND_PATH,
    title: "批量发送消息",
  },
] as const satisfies readonly EndpointSpec[];
