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

/** Non-negative integer header value, or undefined. */
export function headerInt(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}
