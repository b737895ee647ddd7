/**
 * Merge the window files into one workbook: columns unified by header name
 * (union, first-seen order) plus a source-window column, duplicates removed
 * by the key column (or by a hash of the whole row when a row has no key),
 * dates kept as real date cells. Files are parsed in read-only workers; the
 * result is streamed to `<path>.part` and renamed (atomic). Optionally the
 * rows also go to a SQLite table.
 *
 * @module
 */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { isEmptyCell } from "./_cells.ts";
import { XlsxStreamWriter } from "./_xlsx_writer.ts";
import { type FileStats, parseFiles, parseFilesInOrder } from "./parse_files.ts";
import { windowLabel } from "./window.ts";

/** One window file to merge. */
export interface MergeInput {
  /** Window id. */
  windowId: number;
  /** First day. */
  start: string;
  /** Last day. */
  end: string;
  /** File path. */
  path: string;
}

/** Options of {@linkcode mergeWindowFiles}. */
export interface MergeOptions {
  /** Files in the order their rows should appear (by window start). */
  inputs: readonly MergeInput[];
  /** The merged xlsx. */
  outputPath: string;
  /** Column identifying a record (default `记录ID`); rows without it are keyed by a hash. */
  keyColumn?: string;
  /** Added column naming each row's window (default `来源窗口`). */
  sourceColumn?: string;
  /** Columns kept as real dates (text and epoch values are converted). Default none. */
  dateColumns?: string[];
  /** Zone of epoch-based dates, minutes (default -480). */
  tzOffsetMinutes?: number;
  /** Required columns, counted per file for verify (default none). */
  requiredColumns?: string[];
  /** Per-file window date check for verify (default ""). */
  windowDateColumn?: string;
  /** Parsing workers (default 2). */
  workers?: number;
  /** Also write the rows to table `records` of this SQLite file. */
  sqlitePath?: string;
  /** Sheet name (default `协同记录`). */
  sheetName?: string;
  /** Cancel. */
  signal?: AbortSignal;
  /** Files parsed so far. */
  onProgress?: (done: number, total: number) => void;
}

/** A removed duplicate. */
export interface DuplicateExample {
  /** The key (or `#hash`). */
  key: string;
  /** Window label of the kept row. */
  keptIn: string;
  /** Window label of the dropped row. */
  droppedIn: string;
}

/** What the merge did. */
export interface MergeResult {
  /** The merged file. */
  outputPath: string;
  /** Its columns. */
  columns: string[];
  /** Rows read from all files. */
  rowsIn: number;
  /** Rows written. */
  rowsOut: number;
  /** Rows dropped as duplicates. */
  duplicates: number;
  /** Up to 20 duplicates, for the report. */
  duplicateExamples: DuplicateExample[];
  /** Per file: statistics or the parse error (no rows). */
  files: (MergeInput & { stats?: FileStats; error?: string })[];
  /** Wall time, ms. */
  elapsedMs: number;
}

/** Merge window files; see the module doc. */
export async function mergeWindowFiles(o: MergeOptions): Promise<MergeResult> {
  const t0 = performance.now();
  const keyColumn = o.keyColumn ?? "记录ID";
  const sourceColumn = o.sourceColumn ?? "来源窗口";
  const parseOptions = {
    dateColumns: o.dateColumns ?? [],
    requiredColumns: o.requiredColumns ?? [],
    windowDateColumn: o.windowDateColumn ?? "",
    tzOffsetMinutes: o.tzOffsetMinutes ?? -480,
    keepRows: true,
  };
  const pool = { workers: o.workers, signal: o.signal };
  // Pass 1: header rows only (cheap), to know every column before row 1 is written.
  const heads = await parseFiles(o.inputs, { ...parseOptions, keepRows: false, headerOnly: true }, pool);
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const f of heads) {
    for (const h of f.stats?.headers ?? []) {
      if (h && h !== sourceColumn && !seen.has(h)) {
        seen.add(h);
        columns.push(h);
      }
    }
  }
  columns.push(sourceColumn);
  const keyAt = columns.indexOf(keyColumn);
  const keys = new Map<string | number, string>();
  const examples: DuplicateExample[] = [];
  const files: MergeResult["files"] = [];
  let rowsIn = 0;
  let duplicates = 0;
  const writer = await XlsxStreamWriter.create(o.outputPath, o.sheetName ?? "协同记录");
  const sql = o.sqlitePath ? openTable(o.sqlitePath, columns) : undefined;
  try {
    await writer.addRow(columns);
    // Pass 2: rows, streamed in window order.
    await parseFilesInOrder(o.inputs, parseOptions, { ...pool, onProgress: o.onProgress }, async (f, fi) => {
      files.push({ ...o.inputs[fi], stats: f.stats, error: f.error });
      if (!f.rows || !f.stats) return;
      const label = windowLabel(f);
      const map = f.stats.headers.map((h) => (h === sourceColumn ? -1 : columns.indexOf(h)));
      const identity = map.length === columns.length - 1 && map.every((c, i) => c === i);
      for (const src of f.rows) {
        rowsIn++;
        let row: unknown[];
        if (identity) {
          row = src;
          row.push(label);
        } else {
          row = new Array(columns.length).fill(null);
          map.forEach((c, i) => {
            if (c >= 0) row[c] = src[i];
          });
          row[columns.length - 1] = label;
        }
        const key = keyAt >= 0 && !isEmptyCell(row[keyAt]) ? `k:${String(row[keyAt]).trim()}` : rowHash(row);
        const first = keys.get(key);
        if (first !== undefined) {
          duplicates++;
          if (examples.length < 20) {
            examples.push({
              key: typeof key === "string" ? key.slice(2) : `#${key.toString(16)}`,
              keptIn: first,
              droppedIn: label,
            });
          }
          continue;
        }
        keys.set(key, label);
        await writer.addRow(row);
        sql?.insert(row);
      }
    });
    await writer.close();
    sql?.commit();
  } catch (e) {
    await writer.abort();
    sql?.rollback();
    throw e;
  }
  return {
    outputPath: o.outputPath,
    columns,
    rowsIn,
    rowsOut: rowsIn - duplicates,
    duplicates,
    duplicateExamples: examples,
    files,
    elapsedMs: Math.round(performance.now() - t0),
  };
}

/** 53-bit hash of a row (cyrb53 over its JSON, the source column left out). */
function rowHash(row: readonly unknown[]): number {
  const s = JSON.stringify(row.slice(0, -1));
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function openTable(path: string, columns: readonly string[]) {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA busy_timeout = 5000");
  const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
  db.exec("BEGIN IMMEDIATE");
  db.exec("DROP TABLE IF EXISTS records");
  db.exec(`CREATE TABLE records (${columns.map(q).join(", ")})`);
  const stmt = db.prepare(`INSERT INTO records VALUES (${columns.map(() => "?").join(", ")})`);
  const value = (v: unknown): SQLInputValue => {
    if (v instanceof Date) return v.toISOString().replace("T", " ").replace(/\.000Z$|Z$/, "");
    if (v === undefined) return null;
    if (typeof v === "boolean") return v ? 1 : 0;
    return v as SQLInputValue;
  };
  return {
    insert: (row: readonly unknown[]) => stmt.run(...row.map(value)),
    commit: () => {
      db.exec("COMMIT");
      db.close();
    },
    rollback: () => {
      try {
        db.exec("ROLLBACK");
      } finally {
        db.close();
      }
    },
  };
}
