/** Where an event came in. */
export type EventSource = "webhook" | "long_connection";

/**
 * One event, normalised from the v2 envelope
 * `{schema:"2.0", header:{event_id, event_type, create_time, token, app_id, tenant_key}, event}`
 * or the v1 envelope `{uuid, ts, token, type:"event_callback", event:{type, …}}`.
 */
export interface LarkEvent {
  /** Envelope schema. */
  schema: "2.0" | "1.0";
  /** Unique id (`header.event_id`, v1 `uuid`): the de-duplication key. */
  eventId: string;
  /** Event type, e.g. `vc.meeting.all_meeting_ended_v1`. */
  eventType: string;
  /** Creation time in ms since the epoch (Feishu sends s, ms or µs; normalised by digit count). */
  createTimeMs?: number;
  /** Verification Token carried by the event. */
  token?: string;
  /** App id (`header.app_id`). */
  appId?: string;
  /** Tenant key. */
  tenantKey?: string;
  /** The event body (`event`). */
  event: Record<string, unknown>;
  /** The whole (decrypted) envelope, as received. */
  envelope: Record<string, unknown>;
}

/** What a callback request turned out to be. */
export type ParsedCallback =
  | { type: "challenge"; challenge: string }
  | { type: "event"; event: LarkEvent };
