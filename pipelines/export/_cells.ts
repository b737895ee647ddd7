/**
 * Cell helpers shared by the merge worker and the main thread (internal).
 * Dates are "wall-clock" `Date`s: their UTC fields are the local time in the
 * configured zone, which is how SheetJS reads and writes them with `UTC: true`.
 *
 * @module
 */

const DATE_TEXT =
  /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** True for null, undefined and blank strings. */
export function isEmptyCell(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

/**
 * A date cell as a wall-clock `Date`: `Date`s stay; text such as
 * `2024-03-01 10:20:30`, `2024/3/1` or `2024年3月1日` is read as local time;
 * epoch milliseconds (or seconds) are shifted into the zone `tzOffsetMinutes`
 * (-480 = UTC+8). Anything else is returned unchanged.
 */
export function toWallDate(v: unknown, tzOffsetMinutes: number): unknown {
  if (v instanceof Date) return v;
  if (typeof v === "string") {
    const m = DATE_TEXT.exec(v.trim());
    if (!m) return v;
    const ms = Date.UTC(
      +m[1],
      +m[2] - 1,
      +m[3],
      +(m[4] ?? 0),
      +(m[5] ?? 0),
      +(m[6] ?? 0),
      +(m[7] ?? "0").padEnd(3, "0"),
    );
    return Number.isNaN(ms) ? v : new Date(ms);
  }
  if (typeof v === "number" && Number.isFinite(v)) {
    const ms = v > 1e11 ? v : v > 1e9 ? v * 1000 : undefined;
    return ms === undefined ? v : new Date(ms - tzOffsetMinutes * 60_000);
  }
  return v;
}

/** `YYYY-MM-DD` of a wall-clock date value, or undefined. */
export function wallDay(v: unknown): string | undefined {
  return v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : undefined;
}
