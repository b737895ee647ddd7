import { type CodeInfo, defineErrorCodes } from "../errors/error_codes.ts";

/**
 * docx v1 codes (error tables of open.feishu.cn/document/server-docs/docs/docs/docx-v1/…):
 * 1770001 invalid param, 1770002 not found, 1770003 resource deleted (HTTP 400, still a
 * not-found), 1770013 relation mismatch, 1770025 operation and block not match,
 * 1770032 forbidden, 1771001 internal error. Classified by the core on import.
 */
export const DOCX_ERROR_CODES: Readonly<Record<number, CodeInfo>> = {
  1770001: { kind: "bad_request", hint: "文档接口参数错误：请检查块结构（block_type 与内容字段是否匹配）。" },
  1770002: { kind: "not_found", hint: "文档或块不存在（可能已被删除，或 document_id / block_id 写错）。" },
  1770003: { kind: "not_found", hint: "文档已被删除。" },
  1770013: {
    kind: "bad_request",
    hint: "图片或文件与块的关联不对：请先以该块 ID 为 parent_node 上传素材，再替换。",
  },
  1770025: { kind: "bad_request", hint: "该操作不适用于此类型的块（例如对图片块更新文字）。" },
  1770032: { kind: "permission", hint: "没有该文档的访问权限：请把文档分享给应用（或用户）并授予编辑权限。" },
  1771001: { kind: "server", hint: "飞书文档服务内部错误，已自动重试。" },
};

defineErrorCodes(DOCX_ERROR_CODES);
