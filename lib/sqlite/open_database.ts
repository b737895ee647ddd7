import { DatabaseSync } from "node:sqlite";
import { retryBusy } from "./retry_busy.ts";

/** Options of {@linkcode openDatabase}. */
export interface OpenDatabaseOptions {
  /** How long a statement waits for another connection's lock, ms (default 5000). */
  busyTimeoutMs?: number;
  /** `PRAGMA synchronous` (default `"NORMAL"`, safe with WAL; `"FULL"` survives power loss too). */
  synchronous?: "NORMAL" | "FULL";
  /** Schema statements run once at open (idempotent `CREATE … IF NOT EXISTS`). */
  schema?: string;
}

/**
 * Open (creating when needed) a SQLite database the way every store of
 * feishu-kit wants it: `busy_timeout`, WAL, the chosen `synchronous`, and the
 * schema — with the steps that can report "locked" at once retried, so two
 * processes opening a new file together both succeed. `":memory:"` works.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  const busyMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA busy_timeout = ${busyMs}`);
  retryBusy(() => db.exec("PRAGMA journal_mode = WAL"), busyMs);
  db.exec(`PRAGMA synchronous = ${options.synchronous ?? "NORMAL"}`);
  if (options.schema) retryBusy(() => db.exec(options.schema!), busyMs);
  return db;
}
