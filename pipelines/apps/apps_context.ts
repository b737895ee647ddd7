import { loadSecretBox } from "../../lib/crypto/key_source.ts";
import type { SecretBox } from "../../lib/crypto/secret_box.ts";
import type { Logger } from "../../lib/log/logger.ts";
import type { AppRegistry } from "../../lib/registry/app_registry.ts";
import { openAppRegistry } from "../../lib/registry/open_app_registry.ts";
import { storeKeyFile } from "../../lib/token/store_setting.ts";

/** Where `deno task apps` finds the registry and its key. */
export interface AppsLocation {
  /**
   * Registry: a SQLite file or `sqlite://…` (default env `FEISHU_KIT_APPS_DB`, else
   * `.state/apps.sqlite`), or `postgres://…` for services on several hosts.
   */
  db: string;
  /** Key file used when env `FEISHU_KIT_KEY` is unset (default `secret.key` beside the SQLite registry, else `.state/secret.key`). */
  keyFile: string;
}

/** The open registry and where its key came from. */
export interface AppsContext extends AppsLocation {
  /** The registry. */
  registry: AppRegistry;
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
  return { db, keyFile: storeKeyFile(flags.keyFile, db, DEFAULT_APPS_DB) };
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
  const registry = await openAppRegistry(loc.db, { box, logger: options.logger });
  return { ...loc, registry, box, keySource };
}
