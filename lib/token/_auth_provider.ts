import type { AuthProvider } from "../auth/auth_provider.ts";
import { bearerOf } from "./_helpers.ts";

/** What an {@linkcode tokenAuthProvider} needs from the manager. */
export interface TokenSource {
  /** A valid access token. */
  token(signal?: AbortSignal): Promise<string>;
  /** Drop exactly this token. */
  invalidate(token: string): Promise<unknown>;
  /** Whether a fresh token can now be obtained (false when the user must re-authorize). */
  retryable(): Promise<boolean>;
}

/**
 * An {@linkcode AuthProvider} that sends `Authorization: Bearer <token>` and,
 * when the server refuses the token it sent, evicts that exact token and asks
 * the HTTP client for one retry (unless no fresh token can be had).
 */
export function tokenAuthProvider(label: string, source: TokenSource): AuthProvider {
  return {
    label,
    headers: async (signal?: AbortSignal) => ({ Authorization: `Bearer ${await source.token(signal)}` }),
    invalidate: async (used: Record<string, string>) => {
      const token = bearerOf(used);
      if (token === undefined) return false;
      await source.invalidate(token);
      return await source.retryable();
    },
  };
}
