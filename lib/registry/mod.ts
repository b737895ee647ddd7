/**
 * The app registry: self-built apps (App ID, App Secret sealed with AES-256-GCM, name,
 * description, status, who/when) with an append-only change log, kept in SQLite by
 * default or in PostgreSQL ({@linkcode openAppRegistry}). The token manager reads apps from it on demand ({@linkcode registryAppResolver});
 * `deno task apps` and the core service's admin API change it without restarts.
 *
 * @example
 * ```ts
 * import { registryAppResolver, SqliteAppRegistry } from "./mod.ts";
 * import { loadSecretBox } from "../crypto/mod.ts";
 *
 * const box = await loadSecretBox({ keyFile: ".state/secret.key" });
 * const registry = new SqliteAppRegistry(".state/apps.sqlite", { box });
 * await registry.add({ appId: "cli_a1b2c3d4e5f60718", appSecret: "…", name: "审批机器人" }, "alice");
 * const apps = registryAppResolver(registry); // TokenManager's `apps` option
 * ```
 *
 * @module
 */
export * from "./app_record.ts";
export * from "./app_registry.ts";
export * from "./app_disabled_error.ts";
export * from "./sqlite_app_registry.ts";
export * from "./postgres_app_registry.ts";
export * from "./open_app_registry.ts";
export * from "./registry_app_resolver.ts";
