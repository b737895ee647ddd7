/** Value of one Base field in a record (text, number, option, user list, attachment list, …). */
export type FieldValue = unknown;

/** Fields of a record by field name. */
export type Fields = Record<string, FieldValue>;

/** One record as the API returns it. */
export interface BitableRecord {
  /** `rec…`. */
  recordId: string;
  /** Field values by name. */
  fields: Fields;
}

/** Search operators (open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/record-filter-guide). */
export const FILTER_OPERATORS = [
  "is",
  "isNot",
  "contains",
  "doesNotContain",
  "isEmpty",
  "isNotEmpty",
  "isGreater",
  "isGreaterEqual",
  "isLess",
  "isLessEqual",
  "like",
  "in",
] as const;

/** One search operator. */
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** One filter condition. */
export interface FilterCondition {
  /** Field name. */
  fieldName: string;
  /** Operator. */
  operator: FilterOperator;
  /** Values (≤ 10; empty for `isEmpty` / `isNotEmpty`). */
  value?: string[];
}

/** Search filter: conditions joined by `and` / `or` (≤ 50 conditions). */
export interface RecordFilter {
  /** How conditions combine (default `and`). */
  conjunction?: "and" | "or";
  /** The conditions. */
  conditions: FilterCondition[];
}

/** Search options. */
export interface SearchOptions {
  /** Only records of this view. */
  viewId?: string;
  /** Only these fields (≤ 200). */
  fieldNames?: string[];
  /** Sort order. */
  sort?: { fieldName: string; desc?: boolean }[];
  /** Filter. */
  filter?: RecordFilter;
  /** Page size, 1–500 (default 500: fewest calls). */
  pageSize?: number;
  /** `user_id_type` (default `open_id`). */
  userIdType?: "open_id" | "union_id" | "user_id";
  /** Cancel the listing. */
  signal?: AbortSignal;
}

/** Outcome of one chunk of a batch call. */
export interface ChunkResult<T> {
  /** Chunk number, 0-based. */
  index: number;
  /** Items the chunk covered (their positions in the input). */
  from: number;
  /** End position (exclusive). */
  to: number;
  /** Records written (create/update) or deletion results. */
  items?: T[];
  /** The failure, when the chunk failed. */
  error?: Error;
  /** HTTP attempts the chunk took (> 1 after a write conflict or throttling). */
  attempts: number;
}

/** Result of a batch call: every chunk, in order. */
export interface BatchResult<T> {
  /** Per-chunk outcomes. */
  chunks: ChunkResult<T>[];
  /** Items of the successful chunks, in input order. */
  items: T[];
  /** Chunks that failed. */
  failed: ChunkResult<T>[];
}

/** One row of a batch delete answer. */
export interface DeletedRecord {
  /** `rec…`. */
  recordId: string;
  /** Whether it was deleted. */
  deleted: boolean;
}
