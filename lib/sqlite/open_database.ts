import { DatabaseSync } from "node:sqlite";
import { createPrivateFileSync, restrictFileSync } from "../fs/private_file.ts";
import { retryBusy } from "./retry_busy.ts";
import { SafeDatabase } from "./safe_database.ts";

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
 * feishu-kit wants it: owner-only files (a missing folder is created 0700; the
 * database, `-wal` and `-shm` are 0600, also when an older version left them
 * readable by others), `busy_timeout`, WAL, the chosen `synchronous`, and the
 * schema — with the steps that can report "locked" at once retried, so two
 * processes opening a new file together both succeed. `":memory:"` works.
 * Stores use {@linkcode openSafeDatabase}, which adds text safety.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  const busyMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
  const onDisk = path !== ":memory:" && path !== "" && !path.startsWith("file:");
  // SQLite gives the -wal and -shm files the mode of the database file.
  if (onDisk) createPrivateFileSync(path);
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA busy_timeout = ${busyMs}`);
  retryBusy(() => db.exec("PRAGMA journal_mode = WAL"), busyMs);
  db.exec(`PRAGMA synchronous = ${options.synchronous ?? "NORMAL"}`);
  if (options.schema) retryBusy(() => db.exec(options.schema!), busyMs);
  if (onDisk) { for (const suffix of ["-wal", "-shm"]) restrictFileSync(path + suffix); }
  return db;
}

/**
 * {@linkcode openDatabase}, returning a {@linkcode SafeDatabase}: every text value
 * round-trips exactly (NUL bytes and lone surrogates included).
 *
 * @example
 * ```ts
 * import { openSafeDatabase } from "./open_database.ts";
 * const db = openSafeDatabase(":memory:", { schema: "CREATE TABLE t (k TEXT PRIMARY KEY)" });
 * db.prepare("INSERT INTO t VALUES (?)").run("a\u0000b");
 * console.log(db.prepare("SELECT k FROM t").get()?.k); // "a\u0000b"
 * ```
 */
export function openSafeDatabase(path: string, options: OpenDatabaseOptions = {}): SafeDatabase {
  return new SafeDatabase(openDatabase(path, options));
}
