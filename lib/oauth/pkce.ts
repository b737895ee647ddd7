/** Random bytes as base64url without padding (states, PKCE verifiers, cookie values). */
export function randomBase64Url(bytes = 32): string {
  return crypto.getRandomValues(new Uint8Array(bytes)).toBase64({ alphabet: "base64url", omitPadding: true });
}

/** SHA-256 of a text as base64url without padding: the PKCE `S256` challenge of a verifier. */
export async function sha256Base64Url(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return new Uint8Array(digest).toBase64({ alphabet: "base64url", omitPadding: true });
}

/**
 * A fresh PKCE pair (RFC 7636, `S256`).
 *
 * @example
 * ```ts
 * const { verifier, challenge } = await newPkce();
 * ```
 */
export async function newPkce(): Promise<{ verifier: string; challenge: string; method: "S256" }> {
  const verifier = randomBase64Url(32);
  return { verifier, challenge: await sha256Base64Url(verifier), method: "S256" };
}
