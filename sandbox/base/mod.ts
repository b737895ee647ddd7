/**
 * The Base (多维表格) family of the sandbox: attachments, temporary download
 * URLs, the base-api media download (personal base token), plus the plugin
 * simulator that drives the attachment service (`../plugin/`).
 *
 * @example
 * ```ts
 * import { createSandbox } from "../mod.ts";
 * import { baseFamily } from "./mod.ts";
 *
 * const sandbox = createSandbox();
 * baseFamily(sandbox).configure({ attachments: 5 });
 * ```
 *
 * @module
 */
export * from "./family.ts";
export * from "./routes.ts";
export * from "./banner.ts";
