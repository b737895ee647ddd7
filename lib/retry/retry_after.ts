/**
 * Reads how long Feishu asks us to wait from response headers: the
 * `x-ogw-ratelimit-reset` header (seconds until the window recovers), falling
 * back to a standard `Retry-After` (seconds or an HTTP date).
 *
 * @returns the wait in ms, or `undefined` when no header says.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const reset = headers.get("x-ogw-ratelimit-reset");
  if (reset !== null && reset.trim() !== "") {
    const s = Number(reset);
    if (Number.isFinite(s) && s >= 0) return Math.round(s * 1000);
  }
  const ra = headers.get("retry-after");
  if (ra !== null && ra.trim() !== "") {
    const s = Number(ra);
    if (Number.isFinite(s) && s >= 0) return Math.round(s * 1000);
    const date = Date.parse(ra);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}
