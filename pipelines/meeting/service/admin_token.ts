import { loadSecretBox } from "../../../lib/crypto/key_source.ts";
import { writePrivateFile } from "../../../lib/crypto/key_source.ts";
import { ConfigError } from "../../../lib/errors/config_error.ts";

/** Options of {@linkcode resolveAdminToken}. */
export interface AdminTokenOptions {
  /** `server.admin_token` (or its environment variable); "" = use the stored one. */
  configured: string;
  /** Where the generated token is kept, sealed (AES-256-GCM), mode 0600. */
  file: string;
  /** Key file of `loadSecretBox` (used when `FEISHU_KIT_KEY` is unset; created 0600 when missing). */
  keyFile: string;
  /** Called once with a newly generated token: show it to the operator (it is never logged). */
  onCreated?: (token: string) => void;
  /** Called once when a new key file was created. */
  onKeyCreated?: (path: string) => void;
  /** Environment reader for the key (tests). */
  getEnv?: (name: string) => string | undefined;
}

/** Shortest admin token accepted from the config (a generated one has 43 characters). */
export const MIN_ADMIN_TOKEN_LENGTH = 16;
const AAD = "meeting:admin_token";

/**
 * The admin token of the status page and its actions: `server.admin_token`
 * when configured (at least 16 characters), else the one generated on the
 * first start (32 random bytes, base64url), kept sealed with the at-rest key
 * (`FEISHU_KIT_KEY` or the 0600 key file) and handed to `onCreated` exactly
 * once. A token that cannot be opened (another key) is a `ConfigError`: the
 * service must not start unprotected.
 *
 * @example
 * ```ts
 * const token = await resolveAdminToken({
 *   configured: "", file: ".state/admin_token", keyFile: ".state/secret.key",
 *   onCreated: (t) => console.error(`管理令牌：${t}`),
 * });
 * ```
 */
export async function resolveAdminToken(o: AdminTokenOptions): Promise<string> {
  const configured = o.configured.trim();
  if (configured) {
    if (configured.length < MIN_ADMIN_TOKEN_LENGTH) {
      throw new ConfigError("server.admin_token too short", {
        hint: `server.admin_token 太短（至少 ${MIN_ADMIN_TOKEN_LENGTH} 个字符）：` +
          "请改用随机值（如 `openssl rand -base64 32`），或删除该配置让服务自动生成。",
      });
    }
    return configured;
  }
  const box = await loadSecretBox({ keyFile: o.keyFile, onCreated: o.onKeyCreated, getEnv: o.getEnv });
  let sealed: string | undefined;
  try {
    sealed = (await Deno.readTextFile(o.file)).trim();
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (sealed !== undefined) {
    try {
      return await box.open(sealed, AAD);
    } catch (e) {
      throw new ConfigError(`cannot open the admin token in ${o.file}`, {
        cause: e,
        hint: `无法解密管理令牌文件 ${o.file}：加密密钥（FEISHU_KIT_KEY 或 ${o.keyFile}）与生成时不同。` +
          "请恢复原来的密钥；或删除该文件，下次启动会生成并显示新的管理令牌。",
      });
    }
  }
  const token = crypto.getRandomValues(new Uint8Array(32)).toBase64({
    alphabet: "base64url",
    omitPadding: true,
  });
  await writePrivateFile(o.file, (await box.seal(token, AAD)) + "\n", { createNew: true });
  o.onCreated?.(token);
  return token;
}

/** Constant-time comparison of a presented token with the admin token (via SHA-256 digests). */
export async function tokenMatches(presented: string, expected: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(presented)),
    crypto.subtle.digest("SHA-256", enc.encode(expected)),
  ]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0 && presented.length > 0;
}
