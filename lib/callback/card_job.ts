import type { LarkEvent } from "../events/lark_event.ts";

/** What the intake puts on the queue for one card callback (the event without its raw envelope). */
export interface CardJob {
  /** De-duplication key. */
  eventId: string;
  /** `card.action.trigger` or `card.action.trigger_v1`. */
  eventType: string;
  /** App. */
  appId?: string;
  /** Tenant. */
  tenantKey?: string;
  /** Creation time, ms epoch. */
  createTimeMs?: number;
  /** The callback body (`event`). */
  event: Record<string, unknown>;
}

/** The job of a stored event. */
export function cardJobOf(event: LarkEvent): CardJob {
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    appId: event.appId,
    tenantKey: event.tenantKey,
    createTimeMs: event.createTimeMs,
    event: event.event,
  };
}

/** The event of a job (the envelope is the event body again). */
export function eventOfCardJob(job: CardJob): LarkEvent {
  return {
    schema: job.eventType.endsWith("_v1") ? "1.0" : "2.0",
    eventId: job.eventId,
    eventType: job.eventType,
    appId: job.appId,
    tenantKey: job.tenantKey,
    createTimeMs: job.createTimeMs,
    event: job.event,
    envelope: job.event,
  };
}
