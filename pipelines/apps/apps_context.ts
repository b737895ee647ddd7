import { loadSecretBox, resolveKeyFile } from "../../lib/crypto/key_source.ts";
import type { SecretBox } from "../../lib/crypto/secret_box.ts";
import type { Logger } from "../../lib/log/logger.ts";
import { SqliteAppRegistry } from "../../lib/registry/sqlite_app_registry.ts";

/** Where `deno task apps` finds the registry and its key. */
export interface AppsLocation {
  /** Registry file (default env `FEISHU_KIT_APPS_DB`, else `.state/apps.sqlite`). */
  db: string;
  /** Key file used when env `FEISHU_KIT_KEY` is unset (default `secret.key` beside the registry). */
  keyFile: string;
}

/** The open registry and where its key came from. */
export interface AppsContext extends AppsLocation {
  /** The registry. */
  registry: SqliteAppRegistry;
  /** The key. */
  box: SecretBox;
  /** `env` when `FEISHU_KIT_KEY` supplied the key, else `file`. */
  keySource: "env" | "file";
}

/** Default registry path. */
export const DEFAULT_APPS_DB = ".state/apps.sqlite";

/** Fill in the defaults of the location flags. */
export function appsLocation(flags: { db?: string; keyFile?: string }, getEnv = Deno.env.get): AppsLocation {
  const db = flags.db ?? getEnv("FEISHU_KIT_APPS_DB") ?? DEFAULT_APPS_DB;
  return { db, keyFile: resolveKeyFile(flags.keyFile, db) };
}

/**
 * Open the registry. The key comes from env `FEISHU_KIT_KEY`, else the key file; a new key
 * file is created only when `create` is set (the first `add`), otherwise a missing key is a
 * `ConfigError`, and a wrong key too (the registry checks its fingerprint).
 */
export async function openAppsContext(
  loc: AppsLocation,
  options: { create: boolean; logger?: Logger; onKeyCreated?: (path: string) => void },
): Promise<AppsContext> {
  const keySource = Deno.env.get("FEISHU_KIT_KEY")?.trim() ? "env" : "file";
  const box = await loadSecretBox({
    keyFile: loc.keyFile,
    create: options.create,
    onCreated: options.onKeyCreated,
  });
  const registry = new SqliteAppRegistry(loc.db, { box, logger: options.logger });
  return { ...loc, registry, box, keySource };
}
