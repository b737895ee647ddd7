import { LarkError, type LarkErrorInit, type LarkErrorKind } from "../errors/lark_error.ts";

/**
 * An aPaaS record changed since it was read (its `_version` moved on): the
 * write was refused and nothing was written. Not retried automatically; re-read
 * the record, merge, then write again.
 */
export class ApaasVersionConflictError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "bad_request";
  /** Create the error; see {@linkcode LarkErrorInit}. */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, {
      retryable: false,
      hint:
        "记录已被他人修改（版本冲突），本次写入未生效：请重新读取最新记录、合并修改后再更新；确需覆盖时去掉 _version 字段。",
      ...init,
    });
  }
}
