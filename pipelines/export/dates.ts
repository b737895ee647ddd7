/**
 * Calendar-day helpers for export windows. A day is an ISO date
 * `YYYY-MM-DD` at the edges and a day number (days since 1970-01-01) inside;
 * both carry no time zone. Time zone offsets follow the `Timezone-Offset`
 * header convention (JavaScript `getTimezoneOffset`): `-480` means UTC+8.
 *
 * @module
 */

const DAY_MS = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `s` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Day number of an ISO date (throws `RangeError` on a malformed date). */
export function dayOf(iso: string): number {
  if (!isIsoDate(iso)) throw new RangeError(`not a date: ${iso}`);
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

/** ISO date of a day number. */
export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `iso` moved by `n` days. */
export function addDays(iso: string, n: number): string {
  return isoOf(dayOf(iso) + n);
}

/** Days from `start` to `end`, both included (1 for the same day). */
export function spanDays(start: string, end: string): number {
  return dayOf(end) - dayOf(start) + 1;
}

/** `2022-01-07` → `20220107`. */
export function compactDate(iso: string): string {
  return iso.replaceAll("-", "");
}

/** Today's date in the zone `tzOffsetMinutes` (e.g. -480 for UTC+8) at `nowMs`. */
export function todayIn(nowMs: number, tzOffsetMinutes: number): string {
  return new Date(nowMs - tzOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/**
 * Epoch ms of the first and last millisecond of the inclusive day range
 * `[start, end]` in the zone `tzOffsetMinutes`: `00:00:00.000` of `start` and
 * `23:59:59.999` of `end`, local time.
 */
export function dayRangeMs(start: string, end: string, tzOffsetMinutes: number): [number, number] {
  const shift = tzOffsetMinutes * 60_000;
  return [dayOf(start) * DAY_MS + shift, (dayOf(end) + 1) * DAY_MS - 1 + shift];
}
