import type { DistributedPath } from "./nas.ts";

/**
 * State of a meeting job:
 * - `waiting_recording`: polling for the recording on the ladder schedule;
 * - `downloading`: fetching the minutes video into the staging folder;
 * - `distributing`: naming it and filing it on the NAS;
 * - `notifying`: sending the success card;
 * - `done`;
 * - `waiting_authorization`: the user's token is missing or dead — resumed
 *   as soon as the user authorizes;
 * - `failed`: given up, `reason` says why (in Chinese).
 */
export type JobState =
  | "waiting_recording"
  | "downloading"
  | "distributing"
  | "notifying"
  | "done"
  | "waiting_authorization"
  | "failed";

/** States a worker picks up when due. */
export const ACTIVE_JOB_STATES: readonly JobState[] = [
  "waiting_recording",
  "downloading",
  "distributing",
  "notifying",
];

/** Every job state, in flow order. */
export const JOB_STATES: readonly JobState[] = [
  ...ACTIVE_JOB_STATES,
  "done",
  "waiting_authorization",
  "failed",
];

/** One archiving job: one meeting for one user. */
export interface MeetingJob {
  /** Row id. */
  id: number;
  /** Meeting id (`event.meeting.id`). */
  meetingId: string;
  /** Tenant user id of the user whose recording this is (the meeting owner). */
  userId: string;
  /** User name, once looked up. */
  userName: string;
  /** Meeting topic (or the minute's title when the meeting had none). */
  topic: string;
  /** Start, unix seconds as Feishu sends them. */
  startTime: string;
  /** End, unix seconds as Feishu sends them. */
  endTime: string;
  /** Owner ids from the event (`open_id`, `union_id`, `user_id`). */
  ownerIds: Record<string, string>;
  /** Event that created the job. */
  eventId: string;
  /** Current state. */
  state: JobState;
  /** State to return to when a `waiting_authorization` job is resumed. */
  resumeState?: JobState;
  /** Chinese reason of `failed` / `waiting_authorization` (empty otherwise). */
  reason: string;
  /** Minute token, once the recording exists. */
  minuteToken: string;
  /** Personal file name, once filed. */
  fileName: string;
  /** Personal file path, once filed. */
  filePath: string;
  /** Every path written, once filed. */
  paths: DistributedPath[];
  /** File size, once downloaded. */
  bytes: number;
  /** Tries of the current step (recording polls while waiting for it). */
  attempts: number;
  /** When the recording wait (ladder) started, ms epoch. */
  pollSince: number;
  /** When the job is next due, ms epoch. */
  nextRunAt: number;
  /** Worker holding the job, while one does. */
  leaseOwner?: string;
  /** Lease end, ms epoch; an expired lease may be taken over. */
  leaseUntil?: number;
  /** Last error seen (technical, may be cleared on success). */
  lastError: string;
  /** Created, ms epoch. */
  createdAt: number;
  /** Last change, ms epoch. */
  updatedAt: number;
}

/** What creates a job (see {@linkcode JobStore.enqueue}). */
export interface EnqueueJobInput {
  /** Meeting id. */
  meetingId: string;
  /** Tenant user id (the meeting owner). */
  userId: string;
  /** Topic. */
  topic?: string;
  /** Start, unix seconds string. */
  startTime: string;
  /** End, unix seconds string. */
  endTime: string;
  /** Owner ids from the event. */
  ownerIds?: Record<string, string>;
  /** User name when already known. */
  userName?: string;
  /** Event id. */
  eventId?: string;
  /** First due time, ms epoch (default now). */
  nextRunAt?: number;
}

/** Fields a worker may change (see {@linkcode JobStore.update}). */
export type JobPatch = Partial<
  Pick<
    MeetingJob,
    | "state"
    | "resumeState"
    | "reason"
    | "minuteToken"
    | "fileName"
    | "filePath"
    | "paths"
    | "bytes"
    | "attempts"
    | "pollSince"
    | "nextRunAt"
    | "lastError"
    | "userName"
    | "topic"
  >
>;
