import { encodeHex } from "./hex.ts";

/**
 * SHA-256 of `data` (bytes, or a string as UTF-8), lower-case hex.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./sha256_hex.ts";
 * await sha256Hex("abc"); // "ba7816bf…15ad"
 * ```
 */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return encodeHex(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}
