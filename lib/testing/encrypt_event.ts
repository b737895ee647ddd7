import { eventCipherKey } from "../events/decrypt.ts";

/**
 * Encrypt a plaintext event the way Feishu does (the inverse of
 * `decryptEvent`): base64 of `IV ‖ AES-256-CBC(PKCS#7)` with key
 * `SHA-256(encryptKey)`. A test helper (the library only decrypts); `iv`
 * defaults to 16 random bytes.
 *
 * @example
 * ```ts
 * import { encryptEvent } from "./encrypt_event.ts";
 *
 * const event = { schema: "2.0", header: { event_type: "vc.meeting.all_meeting_ended_v1" }, event: {} };
 * const body = JSON.stringify({ encrypt: await encryptEvent(JSON.stringify(event), "my key") });
 * ```
 */
export async function encryptEvent(plaintext: string, encryptKey: string, iv?: Uint8Array): Promise<string> {
  const vector = new Uint8Array(16);
  if (iv) {
    if (iv.length !== 16) throw new RangeError("IV must be 16 bytes");
    vector.set(iv);
  } else {
    crypto.getRandomValues(vector);
  }
  const cipher = await crypto.subtle.encrypt(
    { name: "AES-CBC", iv: vector },
    await eventCipherKey(encryptKey),
    new TextEncoder().encode(plaintext),
  );
  const out = new Uint8Array(16 + cipher.byteLength);
  out.set(vector);
  out.set(new Uint8Array(cipher), 16);
  return out.toBase64();
}
