import type { ApaasOrderBy, ApaasRecordFilter } from "./record_filter.ts";

/** A record: column → value (`_id` is the primary key). */
export type ApaasRecord = Record<string, unknown>;

/** A table of a workspace. */
export interface ApaasTableInfo {
  /** Table name (used in calls). */
  name: string;
  /** Description. */
  description?: string;
}

/** A column of a table's schema. */
export interface ApaasColumn {
  /** Column name. */
  name: string;
  /** Data type, e.g. `text`, `integer`, `uuid`. */
  dataType: string;
  /** Part of the primary key. */
  primaryKey: boolean;
  /** May be null. */
  nullable: boolean;
  /** Unique. */
  unique: boolean;
  /** Description. */
  description?: string;
}

/** A table's schema. */
export interface ApaasTableSchema extends ApaasTableInfo {
  /** Columns. */
  columns: ApaasColumn[];
}

/** What a query reads. */
export interface ApaasRecordQuery {
  /** Columns to return (default all). */
  select?: readonly string[];
  /** Which records (default all). */
  filter?: ApaasRecordFilter;
  /** Sort keys. */
  order?: readonly ApaasOrderBy[];
  /** Records per call (1–500, default 100). */
  pageSize?: number;
}

/** One page of a query. */
export interface ApaasRecordPage {
  /** Records of this page. */
  records: ApaasRecord[];
  /** Records matching the filter, all pages. */
  total: number;
  /** Next page's token, when there is one. */
  pageToken?: string;
}

/** Options of one call. */
export interface ApaasCallOptions {
  /** Cancel. */
  signal?: AbortSignal;
}
