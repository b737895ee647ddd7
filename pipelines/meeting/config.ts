import { z } from "zod";
import { statePath } from "../../lib/fs/user_dirs.ts";
import { storeSettingField } from "../../lib/config/store_setting_field.ts";
import { storeKeyFile, storeSettingOr } from "../../lib/token/store_setting.ts";
import { loadConfig, type LoadConfigOptions, type LoadedConfig } from "../../lib/config/load_config.ts";
import type { Schema, SchemaYields } from "../../lib/validate/schema.ts";
import { DEFAULT_NAME_TEMPLATE, NAME_PLACEHOLDERS, unknownPlaceholders } from "./naming.ts";

/** OAuth scopes the archiver cannot work without; always added to `oauth.scopes`. */
export const REQUIRED_USER_SCOPES: readonly string[] = [
  "offline_access",
  "vc:record:readonly",
  "minutes:minutes.media:export",
  "minutes:minutes:readonly",
  "contact:user.employee_id:readonly",
];

/** The default `oauth.scopes`: the required ones plus the user's own basic profile. */
export const DEFAULT_USER_SCOPES: readonly string[] = [...REQUIRED_USER_SCOPES, "contact:user.base:readonly"];

const seconds = z.number().positive();

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const schema = z.object({
  app: z.object({
    app_id: z.string().min(1),
    app_secret: z.string().min(1),
    verification_token: z.string().default(""),
    encrypt_key: z.string().default(""),
    base_url: z.url().default("https://open.feishu.cn"),
    accounts_url: z.url().default("https://accounts.feishu.cn"),
  }),
  events: z.object({
    mode: z.enum(["webhook", "long_connection"]).default("webhook"),
    // Signed webhook requests: largest |X-Lark-Request-Timestamp - now| accepted, seconds.
    signed_window_seconds: z.number().int().min(30).max(86_400).default(300),
    max_attempts: z.number().int().min(1).max(100).default(5),
  }).prefault({}),
  server: z.object({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(1).max(65535).default(29090),
    public_base_url: z.url().default("http://127.0.0.1:29090"),
    // Extra names the service answers to (e.g. a LAN name), `name` or `name:port`.
    allowed_hosts: z.array(z.string().regex(/^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:]+\](:\d{1,5})?$/))
      .default([]),
    // Admin token of /status and the actions once reachable beyond loopback; "" = generated on first start.
    admin_token: z.string().default(""),
  }).prefault({}),
  oauth: z.object({
    scopes: z.array(z.string().min(1)).default([...DEFAULT_USER_SCOPES])
      .transform((s) => [...new Set([...s, ...REQUIRED_USER_SCOPES])]),
    state_ttl_seconds: z.number().int().positive().default(600),
    max_pending_states: z.number().int().positive().default(500),
    starts_per_minute: z.number().int().positive().default(60),
  }).prefault({}),
  download: z.object({
    concurrency: z.number().int().min(1).max(32).default(4),
    staging_dir: z.string().default(""),
  }).prefault({}),
  ladder: z.object({
    steps_seconds: z.array(seconds).default([10, 20, 30, 60, 120, 180]),
    repeat_seconds: seconds.default(300),
    total_seconds: seconds.default(1800),
  }).prefault({}),
  nas: z.object({
    root: z.string().min(1),
    personal_folder: z.enum(["user_id", "name"]).default("user_id"),
    mapping_file: z.string().default(""),
    team_folder: z.string().min(1).default("@team"),
    team_copies: z.boolean().default(true),
    reserve_mb: z.number().int().min(0).default(1024),
    // An absent `nas:` block still reports "nas.root missing" rather than "nas missing".
  }).prefault({} as { root: string }),
  naming: z.object({
    template: z.string().min(1)
      .refine(
        (t) => unknownPlaceholders(t).length === 0,
        `未知占位符；可用：${NAME_PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}`,
      )
      .default(DEFAULT_NAME_TEMPLATE),
    time_zone: z.string().refine(validTimeZone, "未知时区（示例 Asia/Shanghai 或 +08:00）")
      .default("Asia/Shanghai"),
    max_chars: z.number().int().min(40).max(200).default(120),
    max_bytes: z.number().int().min(80).max(240).default(240),
  }).prefault({}),
  contact: z.object({
    cache_ttl_hours: z.number().positive().default(24),
  }).prefault({}),
  state: z.object({
    db: z.string().default(() => statePath("meeting.sqlite")),
    token_db: z.string().default(() => statePath("tokens.sqlite")),
    // Token store: sqlite://path or postgres://user@host:5432/db[?schema=name]; "" = SQLite at token_db.
    token_store: storeSettingField(),
    // Key that encrypts the tokens at rest (env FEISHU_KIT_KEY wins); "" = secret.key beside token_db.
    key_file: z.string().default(""),
  }).prefault({}),
  log: z.object({
    dir: z.string().default("output/logs"),
    level: z.enum(["debug", "info", "warn", "error"]).default("info"),
  }).prefault({}),
});

/**
 * Validated archiver configuration, defaults applied
 * (`config/meeting.example.yaml` documents every key).
 */
export interface MeetingConfig {
  /** The Feishu app: credentials, event verification and the API and accounts hosts. */
  app: {
    app_id: string;
    app_secret: string;
    verification_token: string;
    encrypt_key: string;
    base_url: string;
    accounts_url: string;
  };
  /** How events arrive, the accepted clock skew of signed webhooks (seconds), attempts per event. */
  events: { mode: "webhook" | "long_connection"; signed_window_seconds: number; max_attempts: number };
  /** The local web service (`admin_token` `""`: generated on first start). */
  server: {
    host: string;
    port: number;
    public_base_url: string;
    allowed_hosts: string[];
    admin_token: string;
  };
  /** User authorization: scopes asked for (the required ones always included) and state limits. */
  oauth: {
    scopes: string[];
    state_ttl_seconds: number;
    max_pending_states: number;
    starts_per_minute: number;
  };
  /** Downloads in flight and the staging folder (`""`: `{nas.root}/.staging`). */
  download: { concurrency: number; staging_dir: string };
  /** When to look again for a recording not ready yet (seconds). */
  ladder: { steps_seconds: number[]; repeat_seconds: number; total_seconds: number };
  /** Where recordings are archived: personal and team folders, space kept free (MB). */
  nas: {
    root: string;
    personal_folder: "user_id" | "name";
    mapping_file: string;
    team_folder: string;
    team_copies: boolean;
    reserve_mb: number;
  };
  /** File names: template, time zone, length limits. */
  naming: { template: string; time_zone: string; max_chars: number; max_bytes: number };
  /** Contact lookups: cache lifetime (hours). */
  contact: { cache_ttl_hours: number };
  /**
   * State database, token store and the key that encrypts it: `token_store` is
   * `sqlite://…` or `postgres://…` (`""`: SQLite at `token_db`); `key_file` `""`
   * is `secret.key` beside the store (or beside `token_db` for PostgreSQL).
   */
  state: { db: string; token_db: string; token_store: string; key_file: string };
  /** Log folder and level. */
  log: { dir: string; level: "debug" | "info" | "warn" | "error" };
}

// The interface above is exactly what the schema yields (a type error once they drift apart).
const _exact: SchemaYields<typeof schema, MeetingConfig> = true;

/**
 * Schema of the meeting recording archiver's configuration (a zod schema;
 * `config/meeting.example.yaml` documents every key). Secrets may come from
 * the environment, see {@linkcode MEETING_ENV}.
 */
export const MeetingConfigSchema: Schema<MeetingConfig> = schema;

/**
 * Environment variables that fill config keys, in order of preference: the
 * `FEISHU_*` name first, then the name users of other archivers already have.
 */
export const MEETING_ENV: Readonly<Record<string, readonly string[]>> = {
  "app.app_id": ["FEISHU_APP_ID", "APP_ID"],
  "app.app_secret": ["FEISHU_APP_SECRET", "APP_SECRET"],
  "app.verification_token": ["FEISHU_VERIFICATION_TOKEN", "APP_VERIFICATION_TOKEN"],
  "app.encrypt_key": ["FEISHU_ENCRYPT_KEY", "APP_ENCRYPT_KEY"],
  "nas.root": ["FEISHU_DOWNLOAD_PATH", "DOWNLOAD_PATH"],
  "server.admin_token": ["FEISHU_MEETING_ADMIN_TOKEN", "MEETING_ADMIN_TOKEN"],
};

/** Every environment variable name in {@linkcode MEETING_ENV} (for `--allow-env=`). */
export const MEETING_ENV_NAMES: readonly string[] = Object.values(MEETING_ENV).flat();

/** Options of {@linkcode loadMeetingConfig}: those of `loadConfig` minus the env table. */
export type LoadMeetingConfigOptions = Omit<LoadConfigOptions, "env">;

/**
 * Read and validate the archiver config: YAML file, then the environment
 * ({@linkcode MEETING_ENV}, first non-empty name wins), then `overrides`.
 * Throws `ConfigError` naming the key and file in Chinese.
 *
 * @example
 * ```ts
 * const { config, warnings } = await loadMeetingConfig({ file: "config/meeting.yaml" });
 * ```
 */
export function loadMeetingConfig(
  options: LoadMeetingConfigOptions = {},
): Promise<LoadedConfig<MeetingConfig>> {
  const getEnv = options.getEnv ?? ((n: string) => Deno.env.get(n));
  const env: Record<string, string> = {};
  const byFirst = new Map<string, readonly string[]>();
  for (const [key, names] of Object.entries(MEETING_ENV)) {
    env[key] = names[0];
    byFirst.set(names[0], names);
  }
  const aliased = (name: string): string | undefined => {
    for (const n of byFirst.get(name) ?? [name]) {
      const v = getEnv(n);
      if (v !== undefined && v !== "") return v;
    }
    return undefined;
  };
  return loadConfig(MeetingConfigSchema, { ...options, env, getEnv: aliased });
}

/** The staging folder for downloads: `download.staging_dir`, or `{nas.root}/.staging` (same file system). */
export function stagingDir(config: MeetingConfig): string {
  return config.download.staging_dir || `${config.nas.root.replace(/[\\/]+$/, "")}/.staging`;
}

/** Where the tokens are kept: `state.token_store`, else SQLite at `state.token_db` (the default). */
export function meetingTokenStore(config: MeetingConfig): string {
  return storeSettingOr(config.state.token_store, config.state.token_db);
}

/**
 * The key file of the token store: `state.key_file`, else `secret.key` beside
 * the SQLite store — for a PostgreSQL store, beside `state.token_db` (the
 * local state folder), never derived from the URL.
 */
export function meetingKeyFile(config: MeetingConfig): string {
  return storeKeyFile(config.state.key_file, meetingTokenStore(config), config.state.token_db);
}
