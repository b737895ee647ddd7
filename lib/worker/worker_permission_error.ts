import { LarkError, type LarkErrorInit, type LarkErrorKind } from "../errors/lark_error.ts";

/**
 * A stage run by `runStageWorker` tried something its grants do not allow
 * (a file outside its folders, a host, a program): the Worker refused it.
 * Not retryable; the hint says it in Chinese. Thrown in the main thread.
 *
 * @example
 * ```ts
 * import { WorkerPermissionError } from "./worker_permission_error.ts";
 * const e = new WorkerPermissionError('Requires read access to "/etc/passwd"');
 * e.kind; // "permission"
 * ```
 */
export class WorkerPermissionError extends LarkError {
  /** The error family (see {@linkcode LarkErrorKind}). */
  override readonly kind: LarkErrorKind = "permission";

  /** `message` is the refusal as the Worker saw it (it names the path, host or program). */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, {
      retryable: false,
      hint: "该步骤在权限受限的 Worker 中运行，这次访问超出了它被允许的范围（只能访问任务目录等指定位置）：" +
        "请检查配置中的路径是否位于这些位置之内。",
      ...init,
    });
  }
}
