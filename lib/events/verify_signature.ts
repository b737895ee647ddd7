import { createHash } from "node:crypto";
import { constantTimeEqual, toBytes } from "./_bytes.ts";

/** What {@linkcode verifySignature} checks. */
export interface SignatureInput {
  /** `X-Lark-Request-Timestamp` header. */
  timestamp: string;
  /** `X-Lark-Request-Nonce` header. */
  nonce: string;
  /** The app's Encrypt Key. */
  encryptKey: string;
  /** The exact request body bytes (never re-serialized JSON). */
  rawBody: string | Uint8Array;
}

/**
 * Feishu's event signature: lowercase hex of
 * `SHA-256(timestamp + nonce + encryptKey + rawBody)`, the body being the
 * exact bytes received.
 *
 * @example
 * ```ts
 * const sig = computeSignature({ timestamp: "1700000000", nonce: "n", encryptKey: "k", rawBody: "{}" });
 * ```
 */
export function computeSignature(input: SignatureInput): string {
  const hash = createHash("sha256");
  hash.update(input.timestamp + input.nonce + input.encryptKey, "utf8");
  hash.update(toBytes(input.rawBody));
  return hash.digest("hex");
}

/**
 * Check `X-Lark-Signature` against {@linkcode computeSignature} in constant
 * time. Case-insensitive on the hex digits; false for an empty signature.
 *
 * @example
 * ```ts
 * declare const timestamp: string, nonce: string, encryptKey: string, rawBody: Uint8Array, req: Request;
 * const ok = verifySignature({ timestamp, nonce, encryptKey, rawBody, signature: req.headers.get("x-lark-signature")! });
 * ```
 */
export function verifySignature(input: SignatureInput & { signature: string }): boolean {
  if (!input.signature) return false;
  return constantTimeEqual(computeSignature(input), input.signature.trim().toLowerCase());
}
