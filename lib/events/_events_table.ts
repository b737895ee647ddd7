import type { SafeDatabase, SafeRow, SafeStatement } from "../sqlite/safe_database.ts";
import type { EventState, StoredEvent } from "./event_store.ts";
import type { EventSource, LarkEvent } from "./lark_event.ts";

/** The `events` table. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  event_id TEXT PRIMARY KEY,
  event_type TEXT NOT NULL,
  source TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  deliveries INTEGER NOT NULL DEFAULT 1,
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  available_at INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS events_claim ON events(state, available_at, received_at);`;

/** The claimable rows (`:now`, `:types` a JSON array or NULL): pending and due, or processing with the lease run out. */
const CLAIMABLE =
  `((state = 'pending' AND available_at <= :now) OR (state = 'processing' AND lease_until <= :now))
  AND (:types IS NULL OR event_type IN (SELECT value FROM json_each(:types)))`;

/** The store's prepared statements. */
export type EventStatements = Record<
  "insert" | "get" | "pick" | "claim" | "setState" | "recover",
  SafeStatement
>;

/** Prepare the statements of the store on `db`. */
export function prepareEventStatements(db: SafeDatabase): EventStatements {
  return {
    insert: db.prepare(
      `INSERT INTO events (event_id, event_type, source, payload, received_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(event_id) DO UPDATE SET deliveries = deliveries + 1
       RETURNING deliveries`,
    ),
    get: db.prepare("SELECT * FROM events WHERE event_id = ?"),
    pick: db.prepare(
      `SELECT event_id, attempts FROM events WHERE ${CLAIMABLE} ORDER BY received_at, rowid LIMIT 1`,
    ),
    claim: db.prepare(
      `UPDATE events SET state = 'processing', attempts = attempts + 1, lease_until = :lease,
       updated_at = :now WHERE event_id = :id RETURNING *`,
    ),
    setState: db.prepare(
      `UPDATE events SET state = :state, updated_at = :now, available_at = :available,
       lease_until = 0, last_error = :error WHERE event_id = :id`,
    ),
    recover: db.prepare(
      "UPDATE events SET state = 'pending', lease_until = 0, updated_at = ? WHERE state = 'processing'",
    ),
  };
}

/**
 * What is kept of an event: no `event` (a part of `envelope`, stored once) and no
 * Verification Token (`token`, `header.token`, v1 `token`), which is a secret.
 */
export function storedForm(event: LarkEvent): Record<string, unknown> {
  const envelope: Record<string, unknown> = { ...event.envelope };
  delete envelope.token;
  const header = envelope.header;
  if (header && typeof header === "object" && !Array.isArray(header)) {
    const h = { ...header as Record<string, unknown> };
    delete h.token;
    envelope.header = h;
  }
  return { ...event, event: undefined, token: undefined, envelope };
}

/** A stored event from its row (the `event` body restored from the envelope). */
export function toStored(row: SafeRow): StoredEvent {
  const event = JSON.parse(String(row.payload)) as LarkEvent;
  const body = event.envelope?.event;
  event.event = body && typeof body === "object" && !Array.isArray(body)
    ? body as Record<string, unknown>
    : {};
  return {
    event,
    source: row.source as EventSource,
    state: row.state as EventState,
    attempts: Number(row.attempts),
    deliveries: Number(row.deliveries),
    receivedAt: Number(row.received_at),
    updatedAt: Number(row.updated_at),
    availableAt: Number(row.available_at),
    lastError: row.last_error === null ? undefined : String(row.last_error),
  };
}
