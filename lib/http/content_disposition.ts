/**
 * The file name a `Content-Disposition` header suggests (RFC 6266): the
 * RFC 5987 `filename*=charset'lang'percent-encoded` form first (UTF-8 or
 * ISO-8859-1), else the plain `filename=` (quoted, with `\"` escapes, or a
 * bare token). Undefined when there is none. The name is as sent: callers
 * still make it safe before using it as a path.
 *
 * @example
 * ```ts
 * import { dispositionFileName } from "./content_disposition.ts";
 * dispositionFileName(`attachment; filename="a.xlsx"; filename*=UTF-8''%E5%8D%8F.xlsx`); // "协.xlsx"
 * ```
 */
export function dispositionFileName(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const star = /(?:^|;)\s*filename\*\s*=\s*"?([\w!#$&+.^`|~-]+)'[^']*'([^;"]+)"?/i.exec(value);
  if (star) {
    const decoded = decodeExtValue(star[1], star[2].trim());
    if (decoded) return decoded;
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(value);
  if (quoted) return quoted[1].replace(/\\(.)/g, "$1") || undefined;
  const bare = /(?:^|;)\s*filename\s*=\s*([^;]+)/i.exec(value);
  return bare?.[1].trim() || undefined;
}

function decodeExtValue(charset: string, encoded: string): string | undefined {
  try {
    if (/^utf-8$/i.test(charset)) return decodeURIComponent(encoded);
    if (/^iso-8859-1$/i.test(charset)) {
      return encoded.replace(/%([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    }
  } catch { /* malformed: fall back to the plain name */ }
  return undefined;
}
