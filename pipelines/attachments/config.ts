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
import { DEFAULTS } from "./settings.ts";

/** The configuration schema (keys = flags in snake_case). */
export const AttachmentsConfigSchema = z.object({
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

/** The validated configuration. */
export type AttachmentsConfig = z.output<typeof AttachmentsConfigSchema>;

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
