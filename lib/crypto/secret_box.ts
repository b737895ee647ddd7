import { ConfigError } from "../errors/config_error.ts";
import { sha256Hex } from "../encoding/sha256_hex.ts";

const VERSION = "v1";
const IV_BYTES = 12;

/**
 * Authenticated encryption of small secrets at rest (tokens, app secrets, admin tokens):
 * AES-256-GCM through Web Crypto, a fresh 96-bit IV per value, optional associated data
 * that binds a ciphertext to its row (so a value copied to another row fails to open).
 *
 * Sealed values are text, `v1:<base64(iv ‖ ciphertext+tag)>`, safe to keep in SQLite or
 * PostgreSQL text columns. Opening with the wrong key, or a tampered value, throws a
 * {@linkcode ConfigError} with a Chinese hint; it never returns garbage.
 *
 * @example
 * ```ts
 * import { SecretBox } from "./secret_box.ts";
 * const box = await SecretBox.fromRawKey(crypto.getRandomValues(new Uint8Array(32)));
 * const sealed = await box.seal("t-abc", "tokens:tenant:cli_x");
 * console.log(await box.open(sealed, "tokens:tenant:cli_x")); // "t-abc"
 * ```
 */
export class SecretBox {
  readonly #key: CryptoKey;
  /** Short, non-secret fingerprint of the key (first 8 hex chars of SHA-256), for logs and key checks. */
  readonly fingerprint: string;

  private constructor(key: CryptoKey, fingerprint: string) {
    this.#key = key;
    this.fingerprint = fingerprint;
  }

  /** Build a box from 32 raw key bytes. */
  static async fromRawKey(raw: Uint8Array): Promise<SecretBox> {
    if (raw.length !== 32) {
      throw new ConfigError(`encryption key must be 32 bytes, got ${raw.length}`, {
        hint: "加密密钥必须是 32 字节（base64 编码后 44 个字符）。可用 `openssl rand -base64 32` 生成。",
      });
    }
    const key = await crypto.subtle.importKey("raw", raw as Uint8Array<ArrayBuffer>, "AES-GCM", false, [
      "encrypt",
      "decrypt",
    ]);
    const fp = (await sha256Hex(raw)).slice(0, 8);
    return new SecretBox(key, fp);
  }

  /** True when `value` looks like something {@linkcode SecretBox.seal} produced. */
  static isSealed(value: string): boolean {
    return value.startsWith(`${VERSION}:`);
  }

  /** Encrypt `plaintext`; `aad` (e.g. the row key) must be given again to open it. */
  async seal(plaintext: string, aad = ""): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const ct = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(aad) },
        this.#key,
        new TextEncoder().encode(plaintext),
      ),
    );
    const out = new Uint8Array(iv.length + ct.length);
    out.set(iv);
    out.set(ct, iv.length);
    return `${VERSION}:${toBase64(out)}`;
  }

  /** Decrypt a sealed value; throws {@linkcode ConfigError} on a wrong key, wrong `aad` or tampering. */
  async open(sealed: string, aad = ""): Promise<string> {
    if (!SecretBox.isSealed(sealed)) throw undecryptable("not a sealed value");
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = fromBase64(sealed.slice(VERSION.length + 1));
    } catch {
      throw undecryptable("bad base64");
    }
    if (bytes.length < IV_BYTES + 16) throw undecryptable("too short");
    try {
      const pt = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: new TextEncoder().encode(aad) },
        this.#key,
        bytes.subarray(IV_BYTES),
      );
      return new TextDecoder("utf-8", { fatal: true }).decode(pt);
    } catch {
      throw undecryptable("authentication failed");
    }
  }
}

function undecryptable(why: string): ConfigError {
  return new ConfigError(`cannot decrypt stored secret: ${why}`, {
    hint: "无法解密已保存的密文：加密密钥不对（换了机器或改了 FEISHU_KIT_KEY / 密钥文件）或数据被篡改。" +
      "请恢复原来的密钥；确实丢失时删除对应的状态文件后重新授权。",
  });
}

/** Standard base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Bytes of a standard base64 string; throws on invalid input. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
