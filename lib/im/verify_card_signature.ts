import { createHash } from "node:crypto";

/** What {@linkcode verifyCardSignature} checks. */
export interface CardSignatureInput {
  /** `X-Lark-Request-Timestamp` header. */
  timestamp: string;
  /** `X-Lark-Request-Nonce` header. */
  nonce: string;
  /** The app's Verification Token. */
  verificationToken: string;
  /** The exact request body bytes. */
  rawBody: string | Uint8Array;
  /** `X-Lark-Signature` header. */
  signature: string;
}

/**
 * Verify an old-style card callback (`card.action.trigger_v1`, the "message
 * card request URL"): `X-Lark-Signature` = hex `SHA-1(timestamp + nonce +
 * verificationToken + rawBody)`, compared in constant time. New-style
 * `card.action.trigger` callbacks use the event rule (`verifySignature`).
 *
 * @example
 * ```ts
 * declare const timestamp: string, nonce: string, verificationToken: string;
 * declare const rawBody: Uint8Array, signature: string;
 * const ok = verifyCardSignature({ timestamp, nonce, verificationToken, rawBody, signature });
 * ```
 */
export function verifyCardSignature(input: CardSignatureInput): boolean {
  if (!input.signature) return false;
  const hash = createHash("sha1");
  hash.update(input.timestamp + input.nonce + input.verificationToken, "utf8");
  hash.update(typeof input.rawBody === "string" ? new TextEncoder().encode(input.rawBody) : input.rawBody);
  const want = new TextEncoder().encode(hash.digest("hex"));
  const got = new TextEncoder().encode(input.signature.trim().toLowerCase());
  if (want.length !== got.length) return false;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= want[i] ^ got[i];
  return diff === 0;
}
