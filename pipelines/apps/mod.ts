/**
 * The app registry's command line (`deno task apps`): open the registry and
 * its key, then `list`, `show`, `check` and `rotate-key`. Each command writes
 * Chinese lines (or JSON) to an {@linkcode Out}; failures are typed errors
 * (`NotFoundError`, `ConfigError`) with a Chinese hint.
 *
 * - {@linkcode appsLocation}: the registry (`--db`, env `FEISHU_KIT_APPS_DB`,
 *   default `.state/apps.sqlite`, or `postgres://…`) and its key file;
 * - {@linkcode openAppsContext}: the key (env `FEISHU_KIT_KEY`, else the key
 *   file) and the open registry;
 * - {@linkcode listApps}, {@linkcode showApp}, {@linkcode checkApp}: one app or
 *   all, and a credentials check against Feishu;
 * - {@linkcode rotateKey}: a new key for the registry and the token stores,
 *   in an order that never loses a key.
 *
 * @example List the registered apps
 * ```ts
 * import { appsLocation, listApps, openAppsContext } from "./mod.ts";
 *
 * const ctx = await openAppsContext(appsLocation({}), { create: false });
 * try {
 *   await listApps(ctx.registry, false, console.log);
 * } finally {
 *   ctx.registry.close();
 * }
 * ```
 *
 * @module
 */
export * from "./apps_commands.ts";
export * from "./apps_context.ts";
export * from "./rotate_key.ts";
