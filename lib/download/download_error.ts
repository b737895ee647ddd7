import { LarkError, type LarkErrorInit, type LarkErrorKind } from "../errors/lark_error.ts";

/** Why a download failed for good. */
export type DownloadFailure =
  | "http_status"
  | "link_expired"
  | "insecure_redirect"
  | "too_many_redirects"
  | "size_mismatch"
  | "interrupted"
  | "disk";

const KIND: Record<DownloadFailure, LarkErrorKind> = {
  http_status: "server",
  link_expired: "permission",
  insecure_redirect: "bad_request",
  too_many_redirects: "bad_request",
  size_mismatch: "server",
  interrupted: "network",
  disk: "config",
};

const HINT: Record<DownloadFailure, string> = {
  http_status: "下载地址返回了错误状态，请稍后重试；持续出现请检查下载权限。",
  link_expired:
    "下载链接已失效（403/404/410 或过期提示），且无法获取新的链接：请重新获取下载地址或检查是否有下载权限。",
  insecure_redirect: "下载地址从 https 重定向到了 http，为安全起见已拒绝。",
  too_many_redirects: "下载地址重定向次数过多，已放弃。",
  size_mismatch: "下载的文件大小与服务器声明的不一致，已放弃本次下载（临时文件保留以便续传）。",
  interrupted: "下载多次中断且没有进展，已放弃；请检查网络后重试（已下载的部分会续传）。",
  disk: "写入本地文件失败：请检查磁盘空间与目标目录的写权限。",
};

/** A download failed; `.part` is kept so a later call resumes. */
export class DownloadError extends LarkError {
  /** `bad_request`, or `server`/`network`/… depending on the failure. */
  override readonly kind: LarkErrorKind;
  /** Why. */
  readonly failure: DownloadFailure;
  /** Create the error; the hint defaults to the failure's Chinese explanation. */
  constructor(failure: DownloadFailure, message: string, init: LarkErrorInit = {}) {
    super(message, {
      hint: HINT[failure],
      retryable: failure === "interrupted" || failure === "http_status" || failure === "size_mismatch",
      ...init,
    });
    this.failure = failure;
    this.kind = KIND[failure];
  }
}
