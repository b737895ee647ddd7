/**
 * Record search of the Base family: filter (conjunction + conditions), sort,
 * field projection and offset paging with an opaque `page_token`.
 *
 * @module
 */
import type { SandboxTable, StoredRecord } from "./store.ts";

/** One filter condition as sent. */
export interface RawCondition {
  field_name?: unknown;
  operator?: unknown;
  value?: unknown;
}

/** Search request body as sent. */
export interface SearchBody {
  view_id?: unknown;
  field_names?: unknown;
  sort?: { field_name?: unknown; desc?: unknown }[];
  filter?: { conjunction?: unknown; conditions?: RawCondition[] };
}

/** The first field name the body uses that the table lacks, if any. */
export function unknownField(table: SandboxTable, body: SearchBody): string | undefined {
  const names: unknown[] = [
    ...(Array.isArray(body.field_names) ? body.field_names : []),
    ...(body.sort ?? []).map((s) => s.field_name),
    ...(body.filter?.conditions ?? []).map((c) => c.field_name),
  ];
  return names.find((n) => typeof n !== "string" || !table.fields.has(n)) as string | undefined;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.map(text).join(",");
  if (typeof v === "object") return String((v as { text?: unknown }).text ?? JSON.stringify(v));
  return String(v);
}

function matches(record: StoredRecord, c: RawCondition): boolean {
  const actual = record.fields[String(c.field_name)];
  const got = text(actual);
  const values = Array.isArray(c.value) ? c.value.map(String) : [];
  const first = values[0] ?? "";
  const num = (s: string) => Number(s);
  switch (c.operator) {
    case "is":
      return got === first;
    case "isNot":
      return got !== first;
    case "contains":
    case "like":
      return values.some((v) => got.includes(v));
    case "doesNotContain":
      return values.every((v) => !got.includes(v));
    case "isEmpty":
      return got === "";
    case "isNotEmpty":
      return got !== "";
    case "isGreater":
      return num(got) > num(first);
    case "isGreaterEqual":
      return num(got) >= num(first);
    case "isLess":
      return num(got) < num(first);
    case "isLessEqual":
      return num(got) <= num(first);
    case "in":
      return values.includes(got);
    default:
      return false;
  }
}

/** The records the body selects, sorted. */
export function select(table: SandboxTable, body: SearchBody): StoredRecord[] {
  let rows = [...table.records.values()];
  const f = body.filter;
  if (f?.conditions?.length) {
    const or = f.conjunction === "or";
    rows = rows.filter((r) =>
      or ? f.conditions!.some((c) => matches(r, c)) : f.conditions!.every((c) => matches(r, c))
    );
  }
  for (const s of [...(body.sort ?? [])].reverse()) {
    const name = String(s.field_name);
    const dir = s.desc === true ? -1 : 1;
    rows.sort((a, b) => {
      const x = a.fields[name];
      const y = b.fields[name];
      if (typeof x === "number" && typeof y === "number") return (x - y) * dir;
      return text(x).localeCompare(text(y)) * dir;
    });
  }
  return rows;
}

/** A record projected to `field_names` (all fields when absent). */
export function project(record: StoredRecord, fieldNames: unknown): Record<string, unknown> {
  if (!Array.isArray(fieldNames)) return record.fields;
  return Object.fromEntries(fieldNames.filter((n) => n in record.fields).map((n) => [n, record.fields[n]]));
}

/** Encode/decode the opaque page token (an offset). */
export const pageToken = {
  encode: (offset: number): string => btoa(`off:${offset}`),
  decode: (token: string | undefined): number | undefined => {
    if (token === undefined || token === "") return 0;
    try {
      const m = /^off:(\d+)$/.exec(atob(token));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  },
};
