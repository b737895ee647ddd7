import type { SQLInputValue } from "node:sqlite";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import type { KnownCount } from "./plan_count.ts";
import type { ExportWindow, FailureCode, WindowState } from "./window.ts";
import { openSafeDatabase } from "../../lib/sqlite/open_database.ts";
import type { SafeDatabase } from "../../lib/sqlite/safe_database.ts";

/** Options of {@linkcode ExportLedger.open}. */
export interface LedgerOptions {
  /** Wait this long for another connection's write lock, ms (default 5000). */
  busyTimeoutMs?: number;
  /** Time source for `updated_at` (default the system clock). */
  clock?: Clock;
}

/** Fields a caller may change on a window. */
export type WindowPatch = Partial<Omit<ExportWindow, "id" | "updatedAt">>;

const COLUMNS: Record<keyof ExportWindow, string> = {
  id: "id",
  start: "start",
  end: "end_date",
  state: "state",
  reasonCode: "reason_code",
  reason: "reason",
  declaredTotal: "declared_total",
  taskId: "task_id",
  requestedAt: "requested_at",
  noticeId: "notice_id",
  noticeText: "notice_text",
  noticeAt: "notice_at",
  filePath: "file_path",
  rowsInFile: "rows_in_file",
  sha256: "sha256",
  parentId: "parent_id",
  attempts: "attempts",
  updatedAt: "updated_at",
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS windows (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  start TEXT NOT NULL,
  end_date TEXT NOT NULL,
  state TEXT NOT NULL,
  reason_code TEXT,
  reason TEXT,
  declared_total INTEGER,
  task_id TEXT,
  requested_at INTEGER,
  notice_id TEXT,
  notice_text TEXT,
  notice_at INTEGER,
  file_path TEXT,
  rows_in_file INTEGER,
  sha256 TEXT,
  parent_id INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS windows_state ON windows(state);
CREATE UNIQUE INDEX IF NOT EXISTS windows_notice ON windows(notice_id) WHERE notice_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS counts (
  start TEXT NOT NULL,
  end_date TEXT NOT NULL,
  total INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (start, end_date)
);
`;

/**
 * Window state of one export run, in SQLite (`node:sqlite`, WAL,
 * `busy_timeout`). Every read-then-write runs in `BEGIN IMMEDIATE`, so two
 * processes never interleave a change; each change is committed at once, so
 * a kill loses nothing already recorded. It also keeps every count-query
 * answer (table `counts`), so a resumed run never asks for the same range
 * again. Texts from the server (task ids, notice ids and texts, reasons)
 * round-trip exactly, NUL bytes and lone surrogates included (`lib/sqlite`
 * safe statements), so a notice id can neither be cut nor collide.
 */
export class ExportLedger {
  /** Path of the database file. */
  readonly path: string;
  #db: SafeDatabase;
  #clock: Clock;
  #depth = 0;

  private constructor(path: string, db: SafeDatabase, clock: Clock) {
    this.path = path;
    this.#db = db;
    this.#clock = clock;
  }

  /** Open (creating if needed) the ledger at `path`. */
  static open(path: string, o: LedgerOptions = {}): ExportLedger {
    const db = openSafeDatabase(path, { busyTimeoutMs: o.busyTimeoutMs, schema: SCHEMA });
    return new ExportLedger(path, db, o.clock ?? systemClock);
  }

  /** Run `fn` in one `BEGIN IMMEDIATE` transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    if (this.#depth > 0) return fn();
    this.#db.exec("BEGIN IMMEDIATE");
    this.#depth++;
    try {
      const out = fn();
      this.#db.exec("COMMIT");
      return out;
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    } finally {
      this.#depth--;
    }
  }

  /** A run-level value (range, filter fingerprint, ...). */
  getMeta(key: string): string | undefined {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  /** Set a run-level value. */
  setMeta(key: string, value: string): void {
    this.#db.prepare(
      "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
      .run(key, value);
  }

  /** Every window, by start date then id. */
  list(): ExportWindow[] {
    return (this.#db.prepare("SELECT * FROM windows ORDER BY start, id").all() as Record<string, unknown>[])
      .map(fromRow);
  }

  /** One window. */
  get(id: number): ExportWindow | undefined {
    const row = this.#db.prepare("SELECT * FROM windows WHERE id = ?").get(id) as
      | Record<string, unknown>
      | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Add a planned window. */
  insert(w: { start: string; end: string; parentId?: number | null }): ExportWindow {
    const res = this.#db.prepare(
      "INSERT INTO windows(start, end_date, state, parent_id, attempts, updated_at) VALUES (?, ?, 'planned', ?, 0, ?)",
    ).run(w.start, w.end, w.parentId ?? null, this.#clock.now());
    return this.get(Number(res.lastInsertRowid))!;
  }

  /**
   * Put back a window as the stage files tell it (`replayWindows`), with its
   * id and every field; `false` when the ledger already has that id (it is
   * kept: the ledger is written before the files).
   */
  restore(w: ExportWindow): boolean {
    const keys = Object.keys(COLUMNS) as (keyof ExportWindow)[];
    const res = this.#db.prepare(
      `INSERT OR IGNORE INTO windows(${keys.map((k) => COLUMNS[k]).join(", ")}) VALUES (${
        keys.map(() => "?").join(", ")
      })`,
    ).run(...keys.map((k) => (w[k] ?? null) as SQLInputValue));
    return Number(res.changes) > 0;
  }

  /**
   * Change a window. With `from`, the change only happens when the window is
   * in one of those states (returns undefined otherwise), checked and
   * written in one transaction.
   */
  update(id: number, patch: WindowPatch, from?: readonly WindowState[]): ExportWindow | undefined {
    return this.transaction(() => {
      const cur = this.get(id);
      if (!cur || (from && !from.includes(cur.state))) return undefined;
      const sets: string[] = [];
      const values: SQLInputValue[] = [];
      for (const [k, v] of Object.entries(patch)) {
        const col = COLUMNS[k as keyof ExportWindow];
        if (!col || k === "id" || k === "updatedAt") continue;
        sets.push(`${col} = ?`);
        values.push((v ?? null) as SQLInputValue);
      }
      sets.push("updated_at = ?");
      values.push(this.#clock.now());
      this.#db.prepare(`UPDATE windows SET ${sets.join(", ")} WHERE id = ?`).run(...values, id);
      return this.get(id);
    });
  }

  /** Mark a window failed with a machine code and a Chinese reason. */
  fail(id: number, code: FailureCode, reason: string, patch: WindowPatch = {}): ExportWindow | undefined {
    return this.update(id, { ...patch, state: "failed", reasonCode: code, reason });
  }

  /** Every count-query answer recorded, oldest first. */
  counts(): KnownCount[] {
    return (this.#db.prepare("SELECT start, end_date, total FROM counts ORDER BY at, rowid").all() as {
      start: string;
      end_date: string;
      total: number;
    }[]).map((r) => ({ start: String(r.start), end: String(r.end_date), total: Number(r.total) }));
  }

  /** Record a count-query answer (a later answer for the same range replaces it). */
  putCount(c: KnownCount): void {
    this.#db.prepare(
      "INSERT INTO counts(start, end_date, total, at) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT(start, end_date) DO UPDATE SET total = excluded.total, at = excluded.at",
    ).run(c.start, c.end, c.total, this.#clock.now());
  }

  /** Close the database. */
  close(): void {
    try {
      this.#db.close();
    } catch { /* already closed */ }
  }
}

function fromRow(r: Record<string, unknown>): ExportWindow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r.id),
    start: String(r.start),
    end: String(r.end_date),
    state: String(r.state) as WindowState,
    reasonCode: str(r.reason_code) as FailureCode | null,
    reason: str(r.reason),
    declaredTotal: num(r.declared_total),
    taskId: str(r.task_id),
    requestedAt: num(r.requested_at),
    noticeId: str(r.notice_id),
    noticeText: str(r.notice_text),
    noticeAt: num(r.notice_at),
    filePath: str(r.file_path),
    rowsInFile: num(r.rows_in_file),
    sha256: str(r.sha256),
    parentId: num(r.parent_id),
    attempts: Number(r.attempts ?? 0),
    updatedAt: Number(r.updated_at),
  };
}
