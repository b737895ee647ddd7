/**
 * Configuration of the attachment service: the upstream CLI's flags, the
 * same keys in an optional YAML file (`config/attachments.example.yaml`),
 * `PERSONAL_BASE_TOKEN` / `ATTACHMENTS_PAIRING_TOKEN` from the environment or
 * a `.env` file in the working directory. Precedence: flags, environment,
 * `.env`, YAML, the UI's saved settings, defaults.
 *
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { loadConfig } from "../../lib/config/load_config.ts";
import { readDotenv } from "../../lib/config/dotenv.ts";
import type { Schema, SchemaYields } from "../../lib/validate/schema.ts";
import { DEFAULTS } from "./settings.ts";

const schema = z.object({
  host: z.string().min(1).default(DEFAULTS.host),
  port: z.coerce.number().int().min(0).max(65535).default(DEFAULTS.port),
  output: z.string().min(1).default(DEFAULTS.output),
  log_level: z.enum(["debug", "info", "warn", "error"]).default("info"),
  download_concurrency: z.coerce.number().int().min(1).max(50).default(DEFAULTS.downloadConcurrency),
  http_connect_timeout: z.coerce.number().positive().default(DEFAULTS.httpConnectTimeoutSec),
  download_read_timeout: z.coerce.number().min(0).default(DEFAULTS.downloadReadTimeoutSec),
  personal_base_token: z.string().optional(),
  pairing_token: z.string().min(8).optional(),
  allow_origins: z.array(z.string().min(1)).default([]),
  base_api_url: z.url().default(DEFAULTS.baseApiUrl),
  /** URL mode: hosts the download Worker may reach besides the built-in ones (`*`: any). */
  download_hosts: z.array(z.string().min(1)).default([]),
  state_dir: z.string().optional(),
  max_frame_bytes: z.coerce.number().int().min(64 * 1024).default(DEFAULTS.maxFrameBytes),
  max_files_per_job: z.coerce.number().int().min(1).default(DEFAULTS.maxFilesPerJob),
  max_connections: z.coerce.number().int().min(1).default(DEFAULTS.maxConnections),
  ui_port: z.coerce.number().int().min(0).max(65535).default(11549),
});

/**
 * The validated configuration, defaults applied (keys = flags in snake_case;
 * `config/attachments.example.yaml` documents every key).
 */
export interface AttachmentsConfig {
  /** Address the WebSocket service listens on (default `127.0.0.1`; beyond loopback every client needs the pairing token). */
  host: string;
  /** Port of the WebSocket service (default 11548, as the plugin expects). */
  port: number;
  /** Output folder: one folder per job below it, the ZIP beside it. */
  output: string;
  /** Lowest log level written. */
  log_level: "debug" | "info" | "warn" | "error";
  /** Downloads at once per job (1..50). */
  download_concurrency: number;
  /** Time to response headers, seconds. */
  http_connect_timeout: number;
  /** No byte for this long ends an attempt, seconds (0: no limit). */
  download_read_timeout: number;
  /** Personal base token (token mode; better from env `PERSONAL_BASE_TOKEN` or `.env`). */
  personal_base_token?: string;
  /** Token of clients without an Origin (≥ 8 characters; default: a random one per start). */
  pairing_token?: string;
  /** Origins allowed ahead of time, besides the plugin's own. */
  allow_origins: string[];
  /** Base of the base-api host (token mode), e.g. `https://base-api.feishu.cn`. */
  base_api_url: string;
  /** URL mode: hosts the download Worker may reach besides the built-in ones (`*`: any). */
  download_hosts: string[];
  /** Where the job store, the job directories and the UI settings go (default {@linkcode userConfigDir}). */
  state_dir?: string;
  /** Largest WebSocket frame accepted, bytes (≥ 64 KiB). */
  max_frame_bytes: number;
  /** Files accepted per job. */
  max_files_per_job: number;
  /** WebSocket connections at once. */
  max_connections: number;
  /** Port of the desktop UI (`--ui`; 0: any free one). */
  ui_port: number;
}

// The interface above is exactly what the schema yields (a type error once they drift apart).
const _exact: SchemaYields<typeof schema, AttachmentsConfig> = true;

/** The configuration schema (a zod schema; keys = flags in snake_case). */
export const AttachmentsConfigSchema: Schema<AttachmentsConfig> = schema;

/** Environment variables read (also from `.env`). */
export const ATTACHMENTS_ENV: Record<string, string> = {
  personal_base_token: "PERSONAL_BASE_TOKEN",
  pairing_token: "ATTACHMENTS_PAIRING_TOKEN",
};

/** Load the configuration. */
export async function loadAttachmentsConfig(o: {
  file?: string;
  overrides?: Record<string, unknown>;
  getEnv?: (name: string) => string | undefined;
  dotenvPath?: string;
}): Promise<{ config: AttachmentsConfig; warnings: string[] }> {
  const dotenv = await readDotenv(o.dotenvPath ?? ".env");
  const envGet = o.getEnv ?? ((n: string) => Deno.env.get(n));
  const { config, warnings } = await loadConfig(AttachmentsConfigSchema, {
    file: o.file,
    overrides: o.overrides,
    env: ATTACHMENTS_ENV,
    getEnv: (n) => envGet(n) || dotenv[n],
  });
  return { config, warnings };
}

/** The user's config folder for this tool (`~/.config/feishu-kit/attachments` and the OS equivalents). */
export function userConfigDir(getEnv: (n: string) => string | undefined = (n) => Deno.env.get(n)): string {
  if (Deno.build.os === "windows") {
    return join(
      getEnv("APPDATA") ?? join(getEnv("USERPROFILE") ?? ".", "AppData", "Roaming"),
      "feishu-kit",
      "attachments",
    );
  }
  const home = getEnv("HOME") ?? ".";
  if (Deno.build.os === "darwin") {
    return join(home, "Library", "Application Support", "feishu-kit", "attachments");
  }
  return join(getEnv("XDG_CONFIG_HOME") || join(home, ".config"), "feishu-kit", "attachments");
}
