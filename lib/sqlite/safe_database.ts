import type { DatabaseSync, SQLInputValue, SQLOutputValue, StatementSync } from "node:sqlite";
import { decodeSqliteText, encodeSqliteText } from "./safe_text.ts";

/** A row as {@linkcode SafeStatement} returns it. */
export type SafeRow = Record<string, SQLOutputValue>;

/** Named parameters (`:name`, `$name`, `@name`) of a statement. */
export type SafeNamedParams = Record<string, SQLInputValue>;

/** Parameters of a statement: positional values, or one object of named values. */
export type SafeParams = SQLInputValue[] | [SafeNamedParams, ...SQLInputValue[]];

/** Result of {@linkcode SafeStatement.run}. */
export interface SafeRunResult {
  /** Rows changed. */
  changes: number | bigint;
  /** Row id of the last insert. */
  lastInsertRowid: number | bigint;
}

function encodeValue(v: SQLInputValue): SQLInputValue {
  return typeof v === "string" ? encodeSqliteText(v) : v;
}

function encodeParams(params: unknown[]): SQLInputValue[] {
  return params.map((p) => {
    if (p && typeof p === "object" && !ArrayBuffer.isView(p)) {
      const out: SafeNamedParams = {};
      for (const [k, v] of Object.entries(p as SafeNamedParams)) out[k] = encodeValue(v);
      return out as unknown as SQLInputValue;
    }
    return encodeValue(p as SQLInputValue);
  });
}

function decodeRow(row: unknown): SafeRow {
  const r = row as SafeRow;
  for (const k in r) {
    const v = r[k];
    if (typeof v === "string") r[k] = decodeSqliteText(v);
  }
  return r;
}

/**
 * A prepared statement whose text parameters and text results round-trip exactly:
 * strings are stored through {@linkcode encodeSqliteText} and read back through
 * {@linkcode decodeSqliteText}, so a NUL byte or a lone surrogate in an id, a name or an
 * error message can neither be cut short nor collide with another value.
 */
export class SafeStatement {
  readonly #stmt: StatementSync;

  /** Wrap a `node:sqlite` statement. */
  constructor(stmt: StatementSync) {
    this.#stmt = stmt;
  }

  /** The first row, or `undefined`. */
  get(...params: SafeParams): SafeRow | undefined {
    const row = (this.#stmt.get as (...p: SQLInputValue[]) => unknown)(...encodeParams(params));
    return row === undefined ? undefined : decodeRow(row);
  }

  /** Every row. */
  all(...params: SafeParams): SafeRow[] {
    return ((this.#stmt.all as (...p: SQLInputValue[]) => unknown[])(...encodeParams(params))).map(decodeRow);
  }

  /** Run a statement that returns no rows. */
  run(...params: SafeParams): SafeRunResult {
    return (this.#stmt.run as (...p: SQLInputValue[]) => SafeRunResult)(...encodeParams(params));
  }
}

/**
 * A `node:sqlite` database whose statements are {@linkcode SafeStatement}s: what every
 * store of feishu-kit uses, so no user- or server-supplied string can wedge a queue by
 * coming back different from what was stored. Open it with `openSafeDatabase`.
 */
export class SafeDatabase {
  /** The underlying connection (statements on it are not text-safe). */
  readonly raw: DatabaseSync;

  /** Wrap an open connection. */
  constructor(raw: DatabaseSync) {
    this.raw = raw;
  }

  /** Prepare a text-safe statement. */
  prepare(sql: string): SafeStatement {
    return new SafeStatement(this.raw.prepare(sql));
  }

  /** Run SQL without parameters (schema, `BEGIN`, `COMMIT`…). */
  exec(sql: string): void {
    this.raw.exec(sql);
  }

  /** Whether the connection is open. */
  get isOpen(): boolean {
    return this.raw.isOpen;
  }

  /** Close the connection. */
  close(): void {
    this.raw.close();
  }
}
