/**
 * The plugin simulator: drives the attachment service exactly as the Base
 * sidebar plugin "download-files" would (`deno run -A sandbox/plugin/cli.ts`).
 *
 * @module
 */
export * from "./plugin_simulator.ts";
