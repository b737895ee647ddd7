import type { SecretBox } from "../crypto/secret_box.ts";
import type {
  AppInfo,
  AppPatch,
  AppSecretRecord,
  AppStatus,
  AuditEntry,
  AuditFilter,
  NewApp,
} from "./app_record.ts";

/**
 * Where apps live: what the `deno task apps` CLI, the core service's admin API and the
 * token manager's resolver use. Every change is one transaction that also appends to the
 * change log and bumps {@linkcode AppRegistry.version}, so other processes notice it.
 */
export interface AppRegistry {
  /** Every app, by app id (problems reported per app, never thrown). */
  list(): Promise<AppInfo[]>;
  /** One app, or `undefined`. */
  get(appId: string): Promise<AppInfo | undefined>;
  /**
   * The app with its decrypted secret, or `undefined` when not registered. A row that
   * cannot be decrypted or read is a `ConfigError` (reported, never used).
   */
  credentials(appId: string): Promise<AppSecretRecord | undefined>;
  /** Register an app (a `ConfigError` when the id exists or a field is invalid). */
  add(app: NewApp, actor: string): Promise<AppInfo>;
  /** Change name, description or secret (a `NotFoundError` when absent). */
  update(appId: string, patch: AppPatch, actor: string): Promise<AppInfo>;
  /** Disable or enable. */
  setStatus(appId: string, status: AppStatus, actor: string): Promise<AppInfo>;
  /** Remove an app (its change log stays). */
  remove(appId: string, actor: string): Promise<void>;
  /** The change log, newest first. */
  audit(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** A counter bumped by every change (cheap to poll). */
  version(): Promise<number>;
  /**
   * Re-encrypt every secret with `next` in one transaction; afterwards only `next` opens
   * the registry. Refused (nothing changed) when a row cannot be decrypted.
   */
  rotateKey(next: SecretBox, actor: string): Promise<{ apps: number }>;
  /** Release the database. */
  close(): void;
}
