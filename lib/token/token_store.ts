import type { SecretBox } from "../crypto/secret_box.ts";

/** Which token a {@linkcode TokenRecord} holds. */
export type TokenRecordKind = "tenant" | "app" | "user";

/**
 * Lifecycle state of a stored token. `set_aside` means the login behind a user
 * token is gone (or a refresh ended unclearly): the record is kept for
 * diagnosis but never refreshed again until the user re-authorizes.
 */
export type TokenStatus = "active" | "set_aside";

/** One cached token, as kept by a {@linkcode TokenStore}. */
export interface TokenRecord {
  /** Store key, see {@linkcode tokenKey}. */
  key: string;
  /** Token kind. */
  kind: TokenRecordKind;
  /** App the token belongs to (`cli_…`). */
  appId: string;
  /** User the token belongs to (user tokens only). */
  userId?: string;
  /** The access token itself (empty after a user token was invalidated). */
  accessToken: string;
  /** When the access token expires, ms since the epoch. */
  expiresAt: number;
  /** When we obtained the access token, ms since the epoch. */
  issuedAt: number;
  /** Rotating single-use refresh token (user tokens only). */
  refreshToken?: string;
  /** When the refresh token expires, ms since the epoch. */
  refreshExpiresAt?: number;
  /** Space-separated granted scopes (user tokens only). */
  scope?: string;
  /** Lifecycle state (default `"active"`). */
  status?: TokenStatus;
  /** Last write, ms since the epoch. */
  updatedAt: number;
}

/** Filter of {@linkcode TokenStore.list}. */
export interface TokenListFilter {
  /** Only records of this app. */
  appId?: string;
  /** Only records of this kind. */
  kind?: TokenRecordKind;
}

/**
 * Persistent token cache shared by every process on the machine, plus a
 * cross-process lock so only one process refreshes a given token at a time.
 *
 * Unreadable records are reported as missing (a cache miss) and are replaced
 * by the next {@linkcode TokenStore.put} — except a user record that cannot be
 * decrypted (wrong key): `get` rejects with a `ConfigError` then, since a user
 * token cannot be fetched again without the user.
 */
export interface TokenStore {
  /** The record under `key`, or `undefined` when absent or unreadable (see the note on user records). */
  get(key: string): Promise<TokenRecord | undefined>;
  /** Insert or replace `record` (under `record.key`); durable when the promise resolves. */
  put(record: TokenRecord): Promise<void>;
  /** Remove the record under `key` (no error when absent). */
  delete(key: string): Promise<void>;
  /** Every readable record matching `filter`. */
  list(filter?: TokenListFilter): Promise<TokenRecord[]>;
  /**
   * Run `fn` while holding the exclusive lock named `key`, across processes.
   * Waits at most `timeoutMs` for the lock, then rejects with a `LarkError`.
   * The lock is released when `fn` settles; a holder that dies loses the lock
   * after `timeoutMs`.
   */
  withLock<T>(key: string, timeoutMs: number, fn: () => Promise<T>): Promise<T>;
  /**
   * Re-encrypt every record with `next` in one transaction and use `next` from then on
   * (key rotation; persistent stores only). Tenant/app rows that do not decrypt are dropped;
   * a user row that does not decrypt refuses the rotation with a `ConfigError`.
   */
  rekey?(next: SecretBox): Promise<{ records: number; dropped: number }>;
  /** Release resources (close files, connections in the background). */
  close(): void;
}
