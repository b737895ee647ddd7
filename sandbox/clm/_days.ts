/**
 * Day arithmetic of the export family (internal). A day number counts days
 * since 1970-01-01; the data set's days are UTC+8 calendar days. Offsets
 * follow the `Timezone-Offset` header (JavaScript `getTimezoneOffset`):
 * `-480` means UTC+8.
 *
 * @module
 */

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;
/** Offset of the data set's calendar (UTC+8). */
export const DATASET_TZ_OFFSET = -480;

/** Day number of an ISO date `YYYY-MM-DD`. */
export function dayOfIso(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

/** ISO date of a day number. */
export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Epoch ms of 00:00 of `day` in the zone `tzOffset`. */
export function dayStartMs(day: number, tzOffset = DATASET_TZ_OFFSET): number {
  return day * DAY_MS + tzOffset * 60_000;
}

/** Day number containing epoch ms `ms` in the zone `tzOffset`. */
export function dayOfMs(ms: number, tzOffset = DATASET_TZ_OFFSET): number {
  return Math.floor((ms - tzOffset * 60_000) / DAY_MS);
}

/** ISO date containing epoch ms `ms` in the zone `tzOffset`. */
export function isoOfMs(ms: number, tzOffset = DATASET_TZ_OFFSET): string {
  return isoOfDay(dayOfMs(ms, tzOffset));
}

/** Day of week of a day number (0 = Sunday … 6 = Saturday). */
export function weekday(day: number): number {
  return (day + 4) % 7; // 1970-01-01 was a Thursday
}

/** `yyyymmdd` of a day number. */
export function compactOfDay(day: number): string {
  return isoOfDay(day).replaceAll("-", "");
}
