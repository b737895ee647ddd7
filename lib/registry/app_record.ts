/** Whether an app may be handed tokens. */
export type AppStatus = "active" | "disabled";

/** One registered app as shown to people and admin APIs (never the secret). */
export interface AppInfo {
  /** App ID (`cli_…`). */
  appId: string;
  /** Display name. */
  name: string;
  /** Free text. */
  description: string;
  /** `active` or `disabled`. */
  status: AppStatus;
  /** Who registered it. */
  createdBy: string;
  /** When it was registered, ms since the epoch. */
  createdAt: number;
  /** Last change, ms since the epoch. */
  updatedAt: number;
  /** Set when the stored row cannot be used (undecryptable secret, bad fields): the app gets no token. */
  problem?: string;
}

/** An app with its decrypted secret, for the token manager only. */
export interface AppSecretRecord {
  /** App ID. */
  appId: string;
  /** App Secret (decrypted). Never logged. */
  appSecret: string;
  /** Status. */
  status: AppStatus;
}

/** Fields of a new app. */
export interface NewApp {
  /** App ID (`cli_…`). */
  appId: string;
  /** App Secret (stored sealed). */
  appSecret: string;
  /** Display name (default: the app id). */
  name?: string;
  /** Free text (default empty). */
  description?: string;
  /** Initial status (default `active`). */
  status?: AppStatus;
}

/** Fields an update may change; absent fields are kept. */
export interface AppPatch {
  /** New secret. */
  appSecret?: string;
  /** New name. */
  name?: string;
  /** New description. */
  description?: string;
}

/** One entry of the append-only change log (never a secret). */
export interface AuditEntry {
  /** Sequence number. */
  id: number;
  /** App concerned (`*` for the whole registry, e.g. a key rotation). */
  appId: string;
  /** Who made the change. */
  actor: string;
  /** When, ms since the epoch. */
  at: number;
  /** `add`, `update`, `disable`, `enable`, `remove`, `rotate_key`. */
  action: string;
  /** What changed: field → `{ from, to }`, `"changed"` for the secret. */
  changes: Record<string, unknown>;
}

/** Filter of {@linkcode AppRegistry.audit}. */
export interface AuditFilter {
  /** Only this app's entries. */
  appId?: string;
  /** Newest this many (default 100). */
  limit?: number;
}
