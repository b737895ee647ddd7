/**
 * What the archiver worker talks through. Each is a small interface so the
 * service can plug in the real clients (`lib/vc`, `lib/minutes`,
 * `lib/download`, `lib/contact`, `lib/im`, the token manager) and tests can
 * plug in fakes. Every call receives the user id so the real implementation
 * can use that user's own token; failures are thrown as typed `LarkError`s
 * (an `AuthError` about the user's token sends the job to
 * `waiting_authorization`).
 *
 * @module
 */
import type { UserAuthStatus } from "../../lib/token/user_token_info.ts";
import type { MeetingJob } from "./job.ts";
import type { DistributedPath } from "./nas.ts";

/** Whether a meeting's recording exists yet. `lib/vc`'s `RecordingResult` fits. */
export type RecordingStatus =
  | {
    /** Not generated yet (Feishu 124002 / 121004): poll again later. */
    ready: false;
  }
  | {
    /** The recording exists. */
    ready: true;
    /** Recording URL; its last `minutes/<token>` segment is the minute token. */
    url: string;
  };

/** `GET vc/v1/meetings/:meeting_id/recording` with the user's token. */
export interface RecordingSource {
  /** The recording of `meetingId` as seen by `userId` (the owner). */
  getRecording(meetingId: string, userId: string, signal?: AbortSignal): Promise<RecordingStatus>;
}

/** `minutes/v1/minutes/:token` and `…/media` with the user's token (5/s bucket). */
export interface MinutesSource {
  /** The minute's title. */
  info(token: string, userId: string, signal?: AbortSignal): Promise<{ title: string }>;
  /** A fresh pre-signed download URL of the minute's video (valid 1 day). */
  mediaUrl(token: string, userId: string, signal?: AbortSignal): Promise<string>;
}

/** Options the worker passes to {@linkcode Downloader.download}. */
export interface DownloadRequest {
  /** Get a new URL when the current one has expired. */
  refreshUrl: () => Promise<string>;
  /** Cancel; the `.part` is kept for a resume. */
  signal?: AbortSignal;
}

/**
 * Streams `url` to `dest` through `<dest>.part`, resuming an existing `.part`
 * with `Range`, checking the length and renaming atomically
 * (`lib/download`'s `downloadFile` does all of this).
 */
export interface Downloader {
  /** Download; resolves once `dest` is complete. */
  download(url: string, dest: string, request: DownloadRequest): Promise<{ bytes: number }>;
}

/** A user as the directory (contact API + cache) describes them. */
export interface DirectoryUser {
  /** Display name. */
  name: string;
  /** Departments; each gets a team copy. */
  departments: { id: string; name: string }[];
}

/** The contact directory (through the 24 h cache). */
export interface Directory {
  /** Name and departments of `userId`. */
  user(userId: string, signal?: AbortSignal): Promise<DirectoryUser>;
}

/** Cards to the user, from the app's bot. */
export interface Notifier {
  /** Green card: the file name and every path written. */
  success(job: MeetingJob, paths: readonly DistributedPath[], signal?: AbortSignal): Promise<void>;
  /** Red card with a button to `/auth/start`; sent once when a user's jobs start waiting. */
  authorizationRequired(job: MeetingJob, reason: string, signal?: AbortSignal): Promise<void>;
  /** Optional card when a job fails for good. */
  failed?(job: MeetingJob, reason: string, signal?: AbortSignal): Promise<void>;
}

/** Whether the app can act for a user (the token manager's `userStatus`). */
export interface UserAuth {
  /** The user's authorization status. */
  status(userId: string): Promise<UserAuthStatus>;
}
