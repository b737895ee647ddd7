/**
 * One cookie's value from a `Cookie` request header (the first with that
 * name), or `undefined`. Values are returned as sent (no URL decoding).
 *
 * @example
 * ```ts
 * import { readCookie } from "./read_cookie.ts";
 * console.log(readCookie("a=1; fk_oauth=xyz", "fk_oauth")); // "xyz"
 * ```
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}
