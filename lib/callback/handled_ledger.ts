import { type Clock, systemClock } from "../time/clock.ts";
import { immediate } from "../sqlite/immediate.ts";
import { openSafeDatabase } from "../sqlite/open_database.ts";
import type { SafeDatabase } from "../sqlite/safe_database.ts";
import type { CardHandlerResult } from "./card_router.ts";

/** What {@linkcode HandledLedger.begin} decided. */
export type LedgerDecision =
  | { kind: "run" }
  | { kind: "apply"; result: CardHandlerResult }
  | { kind: "done" }
  | { kind: "busy" };

const SCHEMA = `CREATE TABLE IF NOT EXISTS card_callbacks_handled (
  key TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('running','handled','done')),
  result TEXT,
  lease_until INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
)`;

/**
 * Which callbacks were handled, so an at-least-once queue runs each handler
 * at most once per callback: `begin` claims a key (`run`), reports a finished
 * one (`done`), one whose handler finished but whose card update did not
 * (`apply` with the stored result), or one another worker holds (`busy`).
 * {@linkcode SqliteHandledLedger} serves the processes of one machine;
 * `PostgresHandledLedger` several machines (use it with RabbitMQ or
 * PostgreSQL queues consumed on more than one host).
 */
export interface HandledLedger {
  /** Claim `key` for `leaseMs` (default 60 s). */
  begin(key: string, leaseMs?: number): Promise<LedgerDecision>;
  /** The handler finished with `result` (the card update may still be pending). */
  handled(key: string, result: CardHandlerResult): Promise<void>;
  /** Everything for `key` is finished. */
  done(key: string): Promise<void>;
  /** The handler failed: let the next delivery run it again. */
  release(key: string): Promise<void>;
  /** Release the connection. */
  close(): void | Promise<void>;
}

/** {@linkcode HandledLedger} in SQLite (`BEGIN IMMEDIATE`), shared by the processes on one machine. */
export class SqliteHandledLedger implements HandledLedger {
  readonly #db: SafeDatabase;
  readonly #clock: Clock;

  /** Open (creating) the ledger at `path`. */
  constructor(path: string, options: { clock?: Clock } = {}) {
    this.#db = openSafeDatabase(path, { schema: SCHEMA });
    this.#clock = options.clock ?? systemClock;
  }

  /** Claim `key` for `leaseMs`. */
  begin(key: string, leaseMs = 60_000): Promise<LedgerDecision> {
    const now = this.#clock.now();
    return Promise.resolve(immediate(this.#db, (): LedgerDecision => {
      const row = this.#db.prepare(
        "SELECT state, result, lease_until FROM card_callbacks_handled WHERE key = ?",
      )
        .get(key);
      if (row?.state === "done") return { kind: "done" };
      if (row?.state === "handled") {
        return { kind: "apply", result: JSON.parse(String(row.result ?? "{}")) as CardHandlerResult };
      }
      if (row && Number(row.lease_until) > now) return { kind: "busy" };
      this.#db.prepare(
        `INSERT INTO card_callbacks_handled (key, state, lease_until, updated_at) VALUES (?, 'running', ?, ?)
         ON CONFLICT (key) DO UPDATE SET state = 'running', lease_until = excluded.lease_until, updated_at = excluded.updated_at`,
      ).run(key, now + leaseMs, now);
      return { kind: "run" };
    }));
  }

  /** The handler finished with `result` (the card update may still be pending). */
  handled(key: string, result: CardHandlerResult): Promise<void> {
    this.#db.prepare(
      "UPDATE card_callbacks_handled SET state = 'handled', result = ?, updated_at = ? WHERE key = ?",
    ).run(JSON.stringify(result), this.#clock.now(), key);
    return Promise.resolve();
  }

  /** Everything for `key` is finished. */
  done(key: string): Promise<void> {
    this.#db.prepare(
      "UPDATE card_callbacks_handled SET state = 'done', result = NULL, updated_at = ? WHERE key = ?",
    ).run(this.#clock.now(), key);
    return Promise.resolve();
  }

  /** The handler failed: let the next delivery run it again. */
  release(key: string): Promise<void> {
    this.#db.prepare("DELETE FROM card_callbacks_handled WHERE key = ? AND state = 'running'").run(key);
    return Promise.resolve();
  }

  /** Forget finished keys older than `olderThanMs`. */
  prune(olderThanMs: number): number {
    return Number(
      this.#db.prepare("DELETE FROM card_callbacks_handled WHERE state = 'done' AND updated_at < ?")
        .run(this.#clock.now() - olderThanMs).changes,
    );
  }

  /** Close the database. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
