import type { JobPatch, JobState, MeetingJob } from "./job.ts";

/** Table and indexes of the job store. */
export const JOB_SCHEMA = `
CREATE TABLE IF NOT EXISTS meeting_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  meeting_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL DEFAULT '',
  topic TEXT NOT NULL DEFAULT '',
  start_time TEXT NOT NULL DEFAULT '',
  end_time TEXT NOT NULL DEFAULT '',
  owner_ids TEXT NOT NULL DEFAULT '{}',
  event_id TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  resume_state TEXT,
  reason TEXT NOT NULL DEFAULT '',
  minute_token TEXT NOT NULL DEFAULT '',
  file_name TEXT NOT NULL DEFAULT '',
  file_path TEXT NOT NULL DEFAULT '',
  paths TEXT NOT NULL DEFAULT '[]',
  bytes INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  poll_since INTEGER NOT NULL,
  next_run_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (meeting_id, user_id)
);
CREATE INDEX IF NOT EXISTS meeting_jobs_due ON meeting_jobs(state, next_run_at);
CREATE INDEX IF NOT EXISTS meeting_jobs_user ON meeting_jobs(user_id, state);
CREATE INDEX IF NOT EXISTS meeting_jobs_updated ON meeting_jobs(updated_at);`;

/** Column of each patchable field. */
const COLUMNS: Record<keyof JobPatch, string> = {
  state: "state",
  resumeState: "resume_state",
  reason: "reason",
  minuteToken: "minute_token",
  fileName: "file_name",
  filePath: "file_path",
  paths: "paths",
  bytes: "bytes",
  attempts: "attempts",
  pollSince: "poll_since",
  nextRunAt: "next_run_at",
  lastError: "last_error",
  userName: "user_name",
  topic: "topic",
};

/** `SET a = ?, b = ?` and its values for a patch (JSON for `paths`, NULL for an undefined resumeState). */
export function patchSql(patch: JobPatch): { set: string[]; values: (string | number | null)[] } {
  const set: string[] = [];
  const values: (string | number | null)[] = [];
  for (const [k, v] of Object.entries(patch) as [keyof JobPatch, unknown][]) {
    if (!(k in COLUMNS)) continue;
    if (v === undefined && k !== "resumeState") continue;
    set.push(`${COLUMNS[k]} = ?`);
    values.push(k === "paths" ? JSON.stringify(v ?? []) : (v ?? null) as string | number | null);
  }
  return { set, values };
}

/** A database row → {@linkcode MeetingJob}. */
export function rowToJob(r: Record<string, unknown>): MeetingJob {
  return {
    id: Number(r.id),
    meetingId: String(r.meeting_id),
    userId: String(r.user_id),
    userName: String(r.user_name ?? ""),
    topic: String(r.topic ?? ""),
    startTime: String(r.start_time ?? ""),
    endTime: String(r.end_time ?? ""),
    ownerIds: parseJson(r.owner_ids, {}),
    eventId: String(r.event_id ?? ""),
    state: String(r.state) as JobState,
    resumeState: r.resume_state ? String(r.resume_state) as JobState : undefined,
    reason: String(r.reason ?? ""),
    minuteToken: String(r.minute_token ?? ""),
    fileName: String(r.file_name ?? ""),
    filePath: String(r.file_path ?? ""),
    paths: parseJson(r.paths, []),
    bytes: Number(r.bytes ?? 0),
    attempts: Number(r.attempts ?? 0),
    pollSince: Number(r.poll_since ?? 0),
    nextRunAt: Number(r.next_run_at ?? 0),
    leaseOwner: r.lease_owner ? String(r.lease_owner) : undefined,
    leaseUntil: r.lease_until === null || r.lease_until === undefined ? undefined : Number(r.lease_until),
    lastError: String(r.last_error ?? ""),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function parseJson<T>(v: unknown, fallback: T): T {
  try {
    return typeof v === "string" ? JSON.parse(v) as T : fallback;
  } catch {
    return fallback;
  }
}
