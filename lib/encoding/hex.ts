/**
 * Lower-case hex of `bytes` (two digits a byte).
 *
 * @example
 * ```ts
 * import { encodeHex } from "./hex.ts";
 * encodeHex(new Uint8Array([0, 171, 255])); // "00abff"
 * ```
 */
export function encodeHex(bytes: Uint8Array | ArrayBuffer): string {
  return (bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toHex();
}

/**
 * `digits` random lower-case hex digits from the system's secure random
 * source (ids, tokens and nonces that must not repeat).
 *
 * @example
 * ```ts
 * import { randomHex } from "./hex.ts";
 * randomHex(32).length; // 32
 * ```
 */
export function randomHex(digits: number): string {
  return encodeHex(crypto.getRandomValues(new Uint8Array(Math.ceil(digits / 2)))).slice(0, digits);
}
