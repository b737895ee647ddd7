import type { EventSource, LarkEvent } from "./lark_event.ts";

/**
 * Where intake (webhook or long connection) puts events. `insert` resolves
 * only once the event is durably stored: `true` for a new event id, `false`
 * for a replay of an id already stored (whatever its state).
 */
export interface EventSink {
  /** Store `event` unless its id is known; true when it was new. */
  insert(event: LarkEvent, source: EventSource): Promise<boolean>;
}

/** Life cycle of a stored event. */
export type EventState = "pending" | "processing" | "done" | "failed";

/** A stored event with its processing state. */
export interface StoredEvent {
  /** The event as received (decrypted). */
  event: LarkEvent;
  /** Where it came in. */
  source: EventSource;
  /** Processing state. */
  state: EventState;
  /** Times a worker claimed it. */
  attempts: number;
  /** Deliveries seen for this id (1 = no replay). */
  deliveries: number;
  /** When it was first stored, ms epoch. */
  receivedAt: number;
  /** Last state change, ms epoch. */
  updatedAt: number;
  /** Not claimable before this time, ms epoch (0 = at once). */
  availableAt: number;
  /** Why it last failed. */
  lastError?: string;
}
