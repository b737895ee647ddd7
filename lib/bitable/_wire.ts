import type { BitableRecord, Fields, SearchOptions } from "./types.ts";

/** A record as the API sends it. */
export interface RawRecord {
  record_id: string;
  fields: Fields;
}

/** A {@linkcode BitableRecord} from the API's form. */
export function toRecord(raw: RawRecord): BitableRecord {
  return { recordId: raw.record_id, fields: raw.fields ?? {} };
}

/** The `records/search` body of `options` (view, fields, sort, filter). */
export function searchBody(options: SearchOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.viewId) body.view_id = options.viewId;
  if (options.fieldNames) body.field_names = options.fieldNames;
  if (options.sort) {
    body.sort = options.sort.map((s) => ({ field_name: s.fieldName, desc: s.desc ?? false }));
  }
  if (options.filter) {
    body.filter = {
      conjunction: options.filter.conjunction ?? "and",
      conditions: options.filter.conditions.map((c) => ({
        field_name: c.fieldName,
        operator: c.operator,
        value: c.value ?? [],
      })),
    };
  }
  return body;
}
