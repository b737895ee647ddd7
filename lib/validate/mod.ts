/**
 * Input checks run before any request: each throws a `ParamError` naming the
 * field and saying in Chinese what is expected. Also the `Schema` type that
 * the config loader and the NDJSON files validate with (any zod schema).
 *
 * @example
 * ```ts
 * import { requireInt, requireText } from "./mod.ts";
 *
 * const title = requireText("title", "周报", 800);
 * const size = requireInt("page_size", 50, 1, 500);
 * ```
 *
 * @module
 */
export * from "./checks.ts";
export * from "./schema.ts";
