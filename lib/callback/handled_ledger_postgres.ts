import postgres from "postgres";
import { QueueUnavailableError } from "../queue/queue_error.ts";
import type { CardHandlerResult } from "./card_router.ts";
import type { HandledLedger, LedgerDecision } from "./handled_ledger.ts";

/**
 * {@linkcode HandledLedger} on PostgreSQL, for workers on several machines
 * (RabbitMQ or PostgreSQL queues): a row per callback key, claimed inside a
 * transaction with `SELECT … FOR UPDATE`, so two hosts never run the same
 * callback's handler at once.
 *
 * @example
 * ```ts
 * const ledger = await PostgresHandledLedger.open("postgres://postgres@127.0.0.1:5432/postgres");
 * ```
 */
export class PostgresHandledLedger implements HandledLedger {
  readonly #sql: postgres.Sql;
  readonly #table: string;

  private constructor(sql: postgres.Sql, schema: string) {
    this.#sql = sql;
    this.#table = `"${schema}".card_callbacks_handled`;
  }

  /** Connect and create the table when missing. */
  static async open(url: string, options: { schema?: string } = {}): Promise<PostgresHandledLedger> {
    const schema = options.schema ?? "public";
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new TypeError(`bad schema name: ${schema}`);
    const sql = postgres(url, { max: 4, onnotice: () => {}, connect_timeout: 5 });
    const ledger = new PostgresHandledLedger(sql, schema);
    try {
      await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await sql.unsafe(`CREATE TABLE IF NOT EXISTS ${ledger.#table} (
        key TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        result TEXT,
        lease_until TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    } catch (e) {
      await sql.end({ timeout: 1 });
      throw new QueueUnavailableError("postgres", `cannot prepare the ledger: ${String(e)}`, { cause: e });
    }
    return ledger;
  }

  /** Claim `key`. */
  async begin(key: string, leaseMs = 60_000): Promise<LedgerDecision> {
    return await this.#sql.begin(async (tx) => {
      await tx.unsafe(
        `INSERT INTO ${this.#table} (key, state, lease_until) VALUES ($1, 'new', now()) ON CONFLICT (key) DO NOTHING`,
        [key],
      );
      const [row] = await tx.unsafe(
        `SELECT state, result, lease_until > now() AS leased FROM ${this.#table} WHERE key = $1 FOR UPDATE`,
        [key],
      );
      if (row.state === "done") return { kind: "done" } as const;
      if (row.state === "handled") {
        return { kind: "apply", result: JSON.parse(row.result ?? "{}") as CardHandlerResult } as const;
      }
      if (row.state === "running" && row.leased) return { kind: "busy" } as const;
      await tx.unsafe(
        `UPDATE ${this.#table} SET state = 'running', lease_until = now() + make_interval(secs => $2), updated_at = now()
         WHERE key = $1`,
        [key, leaseMs / 1000],
      );
      return { kind: "run" } as const;
    }) as LedgerDecision;
  }

  /** The handler finished. */
  async handled(key: string, result: CardHandlerResult): Promise<void> {
    await this.#sql.unsafe(
      `UPDATE ${this.#table} SET state = 'handled', result = $2, updated_at = now() WHERE key = $1`,
      [key, JSON.stringify(result)],
    );
  }

  /** All finished. */
  async done(key: string): Promise<void> {
    await this.#sql.unsafe(
      `UPDATE ${this.#table} SET state = 'done', result = NULL, updated_at = now() WHERE key = $1`,
      [key],
    );
  }

  /** Handler failed: allow another run. */
  async release(key: string): Promise<void> {
    await this.#sql.unsafe(`DELETE FROM ${this.#table} WHERE key = $1 AND state = 'running'`, [key]);
  }

  /** Drop this ledger's schema (tests). */
  async dropSchema(): Promise<void> {
    const schema = this.#table.split(".")[0];
    if (schema !== '"public"') await this.#sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }

  /** Close the pool. */
  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}
