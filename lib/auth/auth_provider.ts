/**
 * How a request is authenticated: the HTTP client asks an
 * {@linkcode AuthProvider} for headers before each attempt, and tells it when
 * the server refused the credential so a fresh one can be fetched.
 *
 * @module
 */

/** Supplies credentials for requests. */
export interface AuthProvider {
  /** Short label for logs, e.g. `tenant:cli_xxx` or `cookie`. Never a secret. */
  readonly label: string;
  /** Headers to add to the request (`Authorization`, `Cookie`, ...). */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * The server said the credential sent in `used` is invalid. Drop it from
   * every cache; return true when a fresh credential may now be available (the
   * client then retries once), false when retrying cannot help.
   */
  invalidate?(used: Record<string, string>): Promise<boolean>;
}

/** An {@linkcode AuthProvider} that adds fixed headers (e.g. a captured browser cookie). */
export function staticAuth(label: string, headers: Record<string, string>): AuthProvider {
  return { label, headers: () => Promise.resolve({ ...headers }) };
}
