/** Parsed `Content-Range: bytes start-end/total` (total undefined for `*`). */
export interface ContentRange {
  start?: number;
  end?: number;
  total?: number;
}

/** Parse a `Content-Range` header; undefined when absent or malformed. */
export function parseContentRange(value: string | null): ContentRange | undefined {
  if (!value) return undefined;
  const m = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i.exec(value);
  if (!m) return undefined;
  return {
    start: m[1] === undefined ? undefined : Number(m[1]),
    end: m[2] === undefined ? undefined : Number(m[2]),
    total: m[3] === "*" ? undefined : Number(m[3]),
  };
}

/** File name from `Content-Disposition` (`filename*=UTF-8''…` preferred), if any. */
export function dispositionFileName(value: string | null): string | undefined {
  if (!value) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(value);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(value);
  const name = plain?.[1] ?? plain?.[2]?.trim();
  return name || undefined;
}

/** Non-negative integer header value, or undefined. */
export function headerInt(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}
