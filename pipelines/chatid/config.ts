import { z } from "zod";
import { compileNumberPattern, DEFAULT_NUMBER_PATTERN } from "./contract_number_shape.ts";
import { statePath } from "../../lib/fs/user_dirs.ts";
import { storeSettingField } from "../../lib/config/store_setting_field.ts";
import { storeKeyFile, storeSettingOr } from "../../lib/token/store_setting.ts";

const qpm = z.number().positive().default(60);

/**
 * Configuration of the contract → openChatId tool (`config/chatid.example.yaml`
 * documents every key).
 */
export const ChatIdConfigSchema = z.object({
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

/** Validated chatid configuration. */
export type ChatIdConfig = z.output<typeof ChatIdConfigSchema>;

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
