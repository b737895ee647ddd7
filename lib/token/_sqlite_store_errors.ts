import { ConfigError } from "../errors/config_error.ts";

/** User tokens sealed with another key than the one the store was opened with. */
export function wrongKeyError(
  path: string,
  stored: string | undefined,
  current: string,
  cause?: unknown,
): ConfigError {
  const fp = stored ? `库中记录的密钥指纹 ${stored}，当前密钥指纹 ${current}` : `当前密钥指纹 ${current}`;
  return new ConfigError(`token store ${path} was encrypted with another key`, {
    hint: `密钥不对：令牌库 ${path} 中的用户令牌是用另一把密钥加密的（${fp}），无法解密。` +
      "请恢复原来的密钥（环境变量 FEISHU_KIT_KEY 或配置 state.key_file 指向的密钥文件）后重试；" +
      `确实丢失时删除 ${path}，再请各位用户重新授权。`,
    cause,
  });
}

/** Another process changed the store during a key rotation (nothing was changed). */
export function rotationConflictError(): ConfigError {
  return new ConfigError("token store changed during key rotation", {
    hint:
      "更换密钥期间令牌库被其他进程修改，未做任何改动：请先停止使用该令牌库的服务，再重新运行 rotate-key。",
  });
}
