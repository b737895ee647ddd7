/**
 * Escape text for HTML element content and quoted attribute values
 * (`& < > " '` as numeric character references).
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./escape_html.ts";
 * console.log(escapeHtml(`<a href="x">`)); // "&#60;a href=&#34;x&#34;&#62;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
