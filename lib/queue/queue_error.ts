import { LarkError, type LarkErrorInit } from "../errors/lark_error.ts";

/**
 * The queue backend cannot take or give jobs right now (database or broker
 * unreachable, channel closed). Retryable; the callback intake answers
 * "degraded" (503) or handles inline instead of losing the callback.
 */
export class QueueUnavailableError extends LarkError {
  /** Which backend failed. */
  readonly backend: string;

  /** Create the error. */
  constructor(backend: string, message: string, init: LarkErrorInit = {}) {
    super(message, {
      retryable: true,
      hint: `队列（${backend}）暂不可用：回调未能入队，请稍后重试；请检查数据库或消息队列服务是否在运行。`,
      ...init,
    });
    this.backend = backend;
  }

  /** `server`: the failure is on our side, not the caller's. */
  override readonly kind = "server" as const;
}
