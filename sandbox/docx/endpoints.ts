/**
 * Endpoints of the docx v1 family (open.feishu.cn/document/server-docs/docs/docs/docx-v1/…).
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Paths of the docx endpoints. */
export const DOCX_PATHS = {
  create: "/open-apis/docx/v1/documents",
  blocks: "/open-apis/docx/v1/documents/:document_id/blocks",
  children: "/open-apis/docx/v1/documents/:document_id/blocks/:block_id/children",
  batchUpdate: "/open-apis/docx/v1/documents/:document_id/blocks/batch_update",
  patch: "/open-apis/docx/v1/documents/:document_id/blocks/:block_id",
  rawContent: "/open-apis/docx/v1/documents/:document_id/raw_content",
} as const;

/** docx endpoints. */
export const DOCX_ENDPOINTS = [
  {
    name: "docx_document_create",
    family: "open_api",
    method: "POST",
    path: DOCX_PATHS.create,
    title: "创建文档",
  },
  {
    name: "docx_blocks_list",
    family: "open_api",
    method: "GET",
    path: DOCX_PATHS.blocks,
    title: "获取文档所有块",
  },
  {
    name: "docx_block_children_create",
    family: "open_api",
    method: "POST",
    path: DOCX_PATHS.children,
    title: "创建块（追加子块）",
  },
  {
    name: "docx_blocks_batch_update",
    family: "open_api",
    method: "PATCH",
    path: DOCX_PATHS.batchUpdate,
    title: "批量更新块",
  },
  { name: "docx_block_patch", family: "open_api", method: "PATCH", path: DOCX_PATHS.patch, title: "更新块" },
  {
    name: "docx_raw_content",
    family: "open_api",
    method: "GET",
    path: DOCX_PATHS.rawContent,
    title: "获取文档纯文本内容",
  },
] as const satisfies readonly EndpointSpec[];

/** Name of the per-document edit budget (3 edits/s per document → HTTP 429). */
export const DOCX_DOCUMENT_EDIT_LIMIT = "docx_document_edit";

/**
 * Documented limits: app 3/s for create / children / patch / batch update,
 * 5/s for raw content (and, UNCONFIRMED, for the block list); 3 edits/s per document.
 */
export const DOCX_RATE_LIMITS = {
  docx_document_create: { perSecond: 3 },
  docx_block_children_create: { perSecond: 3 },
  docx_block_patch: { perSecond: 3 },
  docx_blocks_batch_update: { perSecond: 3 },
  docx_raw_content: { perSecond: 5 },
  docx_blocks_list: { perSecond: 5 },
  [DOCX_DOCUMENT_EDIT_LIMIT]: { perSecond: 3 },
} as const;
