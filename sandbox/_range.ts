/**
 * `Range` requests (RFC 9110 §14) for the sandbox's binary downloads: the
 * parser and the answer over an in-memory body.
 *
 * @module
 */

/** A parsed `Range` header: bytes `[start, end)`, or `"unsatisfiable"`, or `undefined` = whole file. */
export type ParsedRange = { start: number; end: number } | "unsatisfiable" | undefined;

/**
 * Parse a single `bytes=` range against `size` (RFC 9110 §14.1.2). Multiple
 * ranges and malformed headers are ignored (the whole file is sent, which
 * RFC 9110 allows).
 */
export function parseRange(header: string | undefined, size: number): ParsedRange {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(m[1]);
  const last = m[2] === "" ? size - 1 : Number(m[2]);
  if (start >= size) return "unsatisfiable";
  if (last < start) return undefined;
  return { start, end: Math.min(last, size - 1) + 1 };
}

/**
 * Answer `bytes` honouring `rangeHeader`: 200 with the whole body, 206 with
 * `Content-Range` for a satisfiable range, 416 with `Content-Range: bytes *\/size`
 * otherwise. `headers` (content type, disposition, log id…) go on every answer.
 */
export function rangedResponse(
  bytes: Uint8Array<ArrayBuffer>,
  rangeHeader: string | undefined,
  headers: Record<string, string>,
): Response {
  const size = bytes.byteLength;
  const range = parseRange(rangeHeader, size);
  const base = { ...headers, "accept-ranges": "bytes" };
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...base, "content-range": `bytes */${size}` } });
  }
  if (!range) {
    return new Response(bytes, { status: 200, headers: { ...base, "content-length": String(size) } });
  }
  return new Response(bytes.slice(range.start, range.end), {
    status: 206,
    headers: {
      ...base,
      "content-length": String(range.end - range.start),
      "content-range": `bytes ${range.start}-${range.end - 1}/${size}`,
    },
  });
}
