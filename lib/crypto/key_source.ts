import { ConfigError } from "../errors/config_error.ts";
import { restrictFileSync, writePrivateFile } from "../fs/private_file.ts";
import { fromBase64, SecretBox, toBase64 } from "./secret_box.ts";

export { writePrivateFile };

/** Where {@linkcode loadSecretBox} looks for the at-rest encryption key. */
export interface KeySourceOptions {
  /** Environment variable holding the key as base64 of 32 bytes. Default `FEISHU_KIT_KEY`. */
  envVar?: string;
  /** Key file used when the variable is unset; created (0600) on first use. */
  keyFile: string;
  /** Create the key file when missing (default true). When false a missing key is a ConfigError. */
  create?: boolean;
  /** Called once when a new key file was created (print where it is and to back it up). */
  onCreated?: (path: string) => void;
  /** Environment reader (tests). Default `Deno.env.get`. */
  getEnv?: (name: string) => string | undefined;
}

/**
 * Load the key that encrypts secrets at rest: the environment variable first, else the key
 * file (set to 0600 if it was readable by others), else (by default) a new random key written
 * to the key file with mode 0600 in a 0700 folder. A malformed key is a {@linkcode ConfigError} naming its source.
 */
export async function loadSecretBox(options: KeySourceOptions): Promise<SecretBox> {
  const envVar = options.envVar ?? "FEISHU_KIT_KEY";
  const getEnv = options.getEnv ?? ((n: string) => Deno.env.get(n));
  const fromEnv = getEnv(envVar)?.trim();
  if (fromEnv) return await SecretBox.fromRawKey(decodeKey(fromEnv, `环境变量 ${envVar}`));
  let text: string | undefined;
  try {
    text = await Deno.readTextFile(options.keyFile);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (text !== undefined) {
    const box = await SecretBox.fromRawKey(decodeKey(text.trim(), `密钥文件 ${options.keyFile}`));
    restrictFileSync(options.keyFile); // a copied-in key file readable by others is made 0600
    return box;
  }
  if (options.create === false) {
    throw new ConfigError(`no encryption key: ${envVar} unset and ${options.keyFile} missing`, {
      hint:
        `缺少加密密钥：请设置环境变量 ${envVar}（base64 编码的 32 字节）或提供密钥文件 ${options.keyFile}。`,
    });
  }
  const raw = crypto.getRandomValues(new Uint8Array(32));
  await writePrivateFile(options.keyFile, toBase64(raw) + "\n", { createNew: true });
  options.onCreated?.(options.keyFile);
  return await SecretBox.fromRawKey(raw);
}

function decodeKey(text: string, source: string): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = fromBase64(text);
  } catch {
    raw = new Uint8Array();
  }
  if (raw.length !== 32) {
    throw new ConfigError(`invalid encryption key in ${source}`, {
      hint:
        `${source} 中的加密密钥无效：应为 base64 编码的 32 字节（可用 \`openssl rand -base64 32\` 生成）。`,
    });
  }
  return raw;
}

/** Name of the key file placed beside the state when none is configured. */
export const DEFAULT_KEY_FILE_NAME = "secret.key";

/**
 * The key file to use: `configured` when set, else `secret.key` in the folder of
 * `besidePath` (e.g. the token database: `.state/tokens.sqlite` → `.state/secret.key`).
 * `besidePath` must be a file path: for a store named by a URL, pass a file of the
 * local state folder (see `tokenStoreKeyFile` in lib/token).
 */
export function resolveKeyFile(configured: string | undefined, besidePath: string): string {
  if (configured) return configured;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(besidePath)) {
    // A database URL says nothing about where local files belong (and `postgres://h/db` would yield `postgres://h/secret.key`).
    throw new TypeError("resolveKeyFile: besidePath must be a local file path, not a URL");
  }
  const i = Math.max(besidePath.lastIndexOf("/"), besidePath.lastIndexOf("\\"));
  return i > 0 ? `${besidePath.slice(0, i)}/${DEFAULT_KEY_FILE_NAME}` : DEFAULT_KEY_FILE_NAME;
}

/** The Chinese notice printed once when a new key file was created. */
export function keyCreatedNotice(path: string, envVar = "FEISHU_KIT_KEY"): string {
  return `已生成本机加密密钥：${path}（仅本人可读，权限 0600）。令牌等敏感数据用它加密保存，请妥善备份；` +
    `丢失或更换后已保存的用户授权将无法解密，需要重新授权。也可以改用环境变量 ${envVar} 提供密钥。`;
}
