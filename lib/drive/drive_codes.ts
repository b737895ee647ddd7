import { type CodeInfo, defineErrorCodes } from "../errors/error_codes.ts";

/**
 * drive v1 codes (error tables of the permission-member and media pages,
 * open.feishu.cn/document/server-docs/docs/permission/permission-member/create and
 * …/drive-v1/media/upload_all). Classified by the core on import.
 */
export const DRIVE_ERROR_CODES: Readonly<Record<number, CodeInfo>> = {
  1061002: {
    kind: "bad_request",
    hint: "云空间接口参数错误：请检查文件名、大小与 parent_type / parent_node。",
  },
  1061003: { kind: "not_found", hint: "素材或文件不存在（可能已被删除，或 file_token 写错）。" },
  1061004: { kind: "permission", hint: "没有该云文档的权限：请把文档分享给应用（或用户）后重试。" },
  1061007: { kind: "not_found", hint: "文件已被删除。" },
  1061021: { kind: "bad_request", hint: "分片上传事务已过期：请重新上传整个文件。" },
  1061043: { kind: "bad_request", hint: "文件大小超出限制：单次上传 ≤ 20 MB，更大的文件会自动分片上传。" },
  1061044: { kind: "not_found", hint: "上传目标（parent_node）不存在：请检查文档或块 ID。" },
  1062009: { kind: "bad_request", hint: "分片实际大小与声明的不一致：请重新上传。" },
  1062010: { kind: "bad_request", hint: "还有分片未上传：请确认所有分片都已上传。" },
  1062011: { kind: "bad_request", hint: "分片序号超出范围：请检查分片数。" },
  1063001: { kind: "bad_request", hint: "协作者参数错误：请检查 member_type、member_id 与 perm。" },
  1063002: { kind: "permission", hint: "没有管理协作者的权限：调用者须能分享该文档，且与对方互相可见。" },
  1063003: { kind: "bad_request", hint: "不支持的协作者操作（例如给所有者改权限）。" },
  1063004: { kind: "permission", hint: "调用者没有该文档的分享权限。" },
  1063005: { kind: "not_found", hint: "云文档不存在或已被删除。" },
};

defineErrorCodes(DRIVE_ERROR_CODES);
