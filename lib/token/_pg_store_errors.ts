import { ConfigError } from "../errors/config_error.ts";
import { LarkError } from "../errors/lark_error.ts";

/** What the store does instead of the failed operation (for the ERROR line). */
export function unavailableAction(op: string): string {
  if (op === "get") return "视为缓存未命中，直接向飞书获取令牌";
  if (op === "list") return "无法列出令牌";
  return "跳过写入，继续服务";
}

/** The database failed where a miss is not acceptable (user tokens, listing). */
export function unavailableError(op: string, key: string): LarkError {
  return new LarkError(`PostgreSQL token store unavailable (${op} ${key})`, {
    retryable: true,
    endpoint: "token_store.postgres",
    hint:
      "PostgreSQL 令牌库暂时无法访问（用户令牌必须先保存才能使用）：请检查数据库是否在运行、地址和网络，稍后重试。",
  });
}

/** A user token sealed with another key. */
export function wrongKeyError(key: string, stored: string, current: string): ConfigError {
  return new ConfigError(`token ${key} in PostgreSQL was sealed with another key`, {
    hint:
      `密钥不对：PostgreSQL 令牌库中 ${key} 是用另一把密钥加密的（库中密钥指纹 ${stored}，当前 ${current}）。` +
      "请让所有进程使用同一把密钥（环境变量 FEISHU_KIT_KEY 或同一个密钥文件），" +
      "或用 `deno task apps rotate-key` 统一更换密钥。",
  });
}
