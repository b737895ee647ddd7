/**
 * Run `fn` inside `BEGIN IMMEDIATE … COMMIT` (rolled back on error). IMMEDIATE
 * takes the write lock up front, so a read-then-write never fails halfway
 * with "busy", and it doubles as a lock across processes.
 */
export function immediate<T>(db: { exec(sql: string): void }, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const out = fn();
    db.exec("COMMIT");
    return out;
  } catch (e) {
    try {
      db.exec("ROLLBACK");
    } catch { /* already rolled back */ }
    throw e;
  }
}
