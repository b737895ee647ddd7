/**
 * Event crypto of Feishu's request URL, implemented independently of the
 * client library with WebCrypto (open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/request-url-configuration-case):
 * - key = SHA-256(utf8(encryptKey)), AES-256-CBC with PKCS#7 padding;
 * - body `{"encrypt": base64(iv ‖ ciphertext)}` with a random 16-byte IV;
 * - `X-Lark-Signature` = hex(SHA-256(timestamp + nonce + encryptKey + rawBody)).
 *
 * Official test vector: key `"test key"`, `P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=`
 * decrypts to `hello world`.
 *
 * @module
 */

import { encodeHex } from "../../lib/encoding/hex.ts";
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";

export { randomHex } from "../../lib/encoding/hex.ts";
export { sha256Hex };

const encoder = new TextEncoder();

/** Standard base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Bytes of standard base64 text; throws `SyntaxError` when malformed. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new SyntaxError("invalid base64");
  }
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** URL-safe base64 without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Hex HMAC-SHA-256 of `text` under `secret` (used to sign the sandbox's media links). */
export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return encodeHex(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
}

/** `X-Lark-Signature` of a raw body: hex(SHA-256(timestamp + nonce + encryptKey + body)). */
export function eventSignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  body: string,
): Promise<string> {
  return sha256Hex(timestamp + nonce + encryptKey + body);
}

async function aesKey(encryptKey: string, usage: "encrypt" | "decrypt"): Promise<CryptoKey> {
  const raw = await crypto.subtle.digest("SHA-256", encoder.encode(encryptKey));
  return crypto.subtle.importKey("raw", raw, { name: "AES-CBC" }, false, [usage]);
}

/** Encrypt `plaintext` as Feishu does: base64(iv ‖ AES-256-CBC(SHA-256(encryptKey), PKCS#7)). */
export async function encryptEvent(encryptKey: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const key = await aesKey(encryptKey, "encrypt");
  const cipher = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-CBC", iv }, key, encoder.encode(plaintext)),
  );
  const out = new Uint8Array(16 + cipher.length);
  out.set(iv, 0);
  out.set(cipher, 16);
  return toBase64(out);
}

/** Decrypt an `encrypt` value; throws when the text is not valid base64 or does not decrypt. */
export async function decryptEvent(encryptKey: string, encrypted: string): Promise<string> {
  const blob = fromBase64(encrypted);
  if (blob.length < 32 || blob.length % 16 !== 0) {
    throw new SyntaxError("encrypted payload has a wrong length");
  }
  const key = await aesKey(encryptKey, "decrypt");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-CBC", iv: blob.subarray(0, 16) },
    key,
    blob.subarray(16),
  );
  return new TextDecoder().decode(plain);
}
