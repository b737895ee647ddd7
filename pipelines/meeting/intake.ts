import type { EnqueueJobInput } from "./job.ts";

/**
 * The fields of a `vc.meeting.all_meeting_ended_v1` event the archiver uses
 * (`lib/events`' `MeetingEnded` fits).
 */
export interface MeetingEndedLike {
  /** Event id. */
  eventId: string;
  /** Meeting id. */
  meetingId: string;
  /** Topic. */
  topic: string;
  /** Start, unix seconds string. */
  startTime: string;
  /** End, unix seconds string. */
  endTime: string;
  /** Meeting owner's ids. */
  owner: { openId?: string; unionId?: string; userId?: string };
}

/**
 * The job to enqueue for a meeting that ended: one for its owner (a user
 * token can only read the owner's recording). `userId` overrides the event's
 * `owner.user_id` (e.g. looked up from the open id when the app lacks the
 * employee-id scope); `undefined` when no user id is known.
 */
export function jobInputFromMeeting(
  m: MeetingEndedLike,
  userId: string | undefined = m.owner.userId,
): EnqueueJobInput | undefined {
  if (!userId) return undefined;
  const ownerIds: Record<string, string> = {};
  if (m.owner.openId) ownerIds.open_id = m.owner.openId;
  if (m.owner.unionId) ownerIds.union_id = m.owner.unionId;
  if (m.owner.userId) ownerIds.user_id = m.owner.userId;
  return {
    meetingId: m.meetingId,
    userId,
    topic: m.topic,
    startTime: m.startTime,
    endTime: m.endTime,
    ownerIds,
    eventId: m.eventId,
  };
}
