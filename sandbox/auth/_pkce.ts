/**
 * PKCE helper: the `S256` code challenge of a verifier (RFC 7636).
 *
 * @module
 */
import { toBase64Url } from "../events/event_crypto.ts";

/** base64url(SHA-256(verifier)), no padding. */
export async function sha256Base64Url(verifier: string): Promise<string> {
  return toBase64Url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
}
