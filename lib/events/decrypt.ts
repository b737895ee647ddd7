import { EventRejectedError } from "./event_error.ts";
import { utf8 } from "./_bytes.ts";

const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The AES-256 key Feishu derives from an Encrypt Key: `SHA-256(utf8(encryptKey))`.
 * Cached per Encrypt Key for the life of the process.
 */
export function eventCipherKey(encryptKey: string): Promise<CryptoKey> {
  let key = keys.get(encryptKey);
  if (!key) {
    key = crypto.subtle.digest("SHA-256", utf8(encryptKey)).then((raw) =>
      crypto.subtle.importKey("raw", raw, { name: "AES-CBC" }, false, ["encrypt", "decrypt"])
    );
    key.catch(() => keys.delete(encryptKey));
    if (keys.size > 16) keys.clear();
    keys.set(encryptKey, key);
  }
  return key;
}

/**
 * Decrypt the `encrypt` field of an encrypted event or callback: base64 of
 * `IV (16 bytes) ‖ AES-256-CBC ciphertext` with PKCS#7 padding, key
 * `SHA-256(encryptKey)` (WebCrypto). Like the Go SDK, the plaintext is trimmed
 * to the first `{` … last `}` when it is JSON.
 *
 * Throws {@linkcode EventRejectedError} (`decrypt_failed`) on bad base64, a
 * short blob or bad padding (a wrong key).
 *
 * @example
 * ```ts
 * await decryptEvent("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=", "test key"); // "hello world"
 * ```
 */
export async function decryptEvent(encrypted: string, encryptKey: string): Promise<string> {
  let blob: Uint8Array<ArrayBuffer>;
  try {
    blob = Uint8Array.fromBase64(encrypted.trim());
  } catch (e) {
    throw new EventRejectedError("decrypt_failed", "encrypt field is not base64", { cause: e });
  }
  if (blob.length < 32 || (blob.length - 16) % 16 !== 0) {
    throw new EventRejectedError("decrypt_failed", `encrypted blob has a bad length (${blob.length})`);
  }
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-CBC", iv: blob.subarray(0, 16) },
      await eventCipherKey(encryptKey),
      blob.subarray(16),
    );
  } catch (e) {
    throw new EventRejectedError("decrypt_failed", "AES-CBC decryption failed (wrong Encrypt Key?)", {
      cause: e,
    });
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(plain);
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  return start >= 0 && end > start ? text.slice(start, end + 1) : text;
}
