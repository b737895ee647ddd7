import { LarkError, type LarkErrorInit, type LarkErrorKind } from "../errors/lark_error.ts";

/**
 * An aPaaS quota is used up (a table's record or storage quota, the
 * workspace's capacity): retrying cannot help until space is freed or the
 * quota is raised.
 */
export class ApaasQuotaError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "permission";
  /** Create the error; see {@linkcode LarkErrorInit}. */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, {
      retryable: false,
      hint:
        "aPaaS 数据表配额已用完（记录数或存储空间）：请删除不再需要的记录，或请管理员在飞书低代码平台提升配额后重试。",
      ...init,
    });
  }
}
