import { z } from "zod";
import { compileNumberPattern, DEFAULT_NUMBER_PATTERN } from "./contract_number_shape.ts";
import { statePath } from "../../lib/fs/user_dirs.ts";
import type { Schema, SchemaYields } from "../../lib/validate/schema.ts";
import { storeSettingField } from "../../lib/config/store_setting_field.ts";
import { storeKeyFile, storeSettingOr } from "../../lib/token/store_setting.ts";

const qpm = z.number().positive().default(60);

const schema = z.object({
  app: z.object({
    app_id: z.string().min(1),
    app_secret: z.string().min(1),
    base_url: z.url().default("https://open.feishu.cn"),
  }),
  clm: z.object({
    base_url: z.url().default("https://contract.feishu.cn"),
    cookie: z.string().min(1),
    headers: z.record(z.string(), z.string()).default({}),
  }),
  rate_limit: z.object({
    concurrency: z.union([z.number().int().min(1).max(64), z.literal("auto")]).default(1),
    global_qpm: qpm,
    contract_search_qpm: qpm,
    contract_info_qpm: qpm,
    cooperation_info_qpm: qpm,
  }).prefault({}),
  retry: z.object({
    max_retries: z.number().int().min(0).max(10).default(3),
    base_ms: z.number().int().positive().default(500),
    cap_ms: z.number().int().positive().default(10_000),
  }).prefault({}),
  http: z.object({
    connect_timeout_ms: z.number().int().positive().default(10_000),
    total_timeout_ms: z.number().int().positive().default(30_000),
  }).prefault({}),
  input: z.object({
    number_pattern: z.string().min(1).default(DEFAULT_NUMBER_PATTERN).superRefine((p, ctx) => {
      const re = compileNumberPattern(p);
      if (typeof re === "string") ctx.addIssue({ code: "custom", message: re });
    }),
    max_length: z.number().int().min(1).max(1000).default(64),
    require_digit: z.boolean().default(true),
  }).prefault({}),
  output: z.object({
    path: z.string().default("output/contract_openChatId.xlsx"),
    extra_columns: z.boolean().default(false),
  }).prefault({}),
  log: z.object({
    dir: z.string().default("output/logs"),
    level: z.enum(["debug", "info", "warn", "error"]).default("info"),
  }).prefault({}),
  state: z.object({
    token_db: z.string().default(() => statePath("tokens.sqlite")),
    // Token store: sqlite://path or postgres://user@host:5432/db[?schema=name]; "" = SQLite at token_db.
    token_store: storeSettingField(),
    // Key that encrypts the tokens at rest (env FEISHU_KIT_KEY wins); "" = secret.key beside token_db.
    key_file: z.string().default(""),
  }).prefault({}),
});

/**
 * Validated chatid configuration, defaults applied (`config/chatid.example.yaml`
 * documents every key).
 */
export interface ChatIdConfig {
  /** The Feishu app (secret from env `FEISHU_APP_SECRET`). */
  app: { app_id: string; app_secret: string; base_url: string };
  /** The contract (CLM) web endpoints and the session cookie. */
  clm: { base_url: string; cookie: string; headers: Record<string, string> };
  /** Contracts in flight (`"auto"`: from `global_qpm`) and requests per minute per API. */
  rate_limit: {
    concurrency: number | "auto";
    global_qpm: number;
    contract_search_qpm: number;
    contract_info_qpm: number;
    cooperation_info_qpm: number;
  };
  /** Retries of a failed request (exponential backoff between `base_ms` and `cap_ms`). */
  retry: { max_retries: number; base_ms: number; cap_ms: number };
  /** Request timeouts. */
  http: { connect_timeout_ms: number; total_timeout_ms: number };
  /** What a contract number looks like. */
  input: { number_pattern: string; max_length: number; require_digit: boolean };
  /** The Excel written. */
  output: { path: string; extra_columns: boolean };
  /** Log folder and level. */
  log: { dir: string; level: "debug" | "info" | "warn" | "error" };
  /**
   * Token store and the key that encrypts it: `token_store` is `sqlite://…` or
   * `postgres://…` (`""`: SQLite at `token_db`); `key_file` `""` is `secret.key`
   * beside the store (or beside `token_db` for PostgreSQL).
   */
  state: { token_db: string; token_store: string; key_file: string };
}

// The interface above is exactly what the schema yields (a type error once they drift apart).
const _exact: SchemaYields<typeof schema, ChatIdConfig> = true;

/**
 * Schema of the contract → openChatId tool's configuration (a zod schema;
 * `config/chatid.example.yaml` documents every key).
 */
export const ChatIdConfigSchema: Schema<ChatIdConfig> = schema;

/** Environment variables that fill secret keys. */
export const CHATID_ENV: Record<string, string> = {
  "app.app_id": "FEISHU_APP_ID",
  "app.app_secret": "FEISHU_APP_SECRET",
  "clm.cookie": "FEISHU_CLM_COOKIE",
};

/** The concurrency `auto` picks: enough contracts in flight to fill the global budget. */
export function autoConcurrency(globalQpm: number): number {
  return Math.max(1, Math.min(32, Math.ceil(globalQpm / 60 / 2)));
}

/** Where the tokens are kept: `state.token_store`, else SQLite at `state.token_db` (the default). */
export function chatIdTokenStore(config: ChatIdConfig): string {
  return storeSettingOr(config.state.token_store, config.state.token_db);
}

/**
 * The key file of the token store: `state.key_file`, else `secret.key` beside
 * the SQLite store — for a PostgreSQL store, beside `state.token_db` (the
 * local state folder), never derived from the URL.
 */
export function chatIdKeyFile(config: ChatIdConfig): string {
  return storeKeyFile(config.state.key_file, chatIdTokenStore(config), config.state.token_db);
}
