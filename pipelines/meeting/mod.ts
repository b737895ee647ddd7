/**
 * Meeting recording archiver — the pipeline layer behind `deno task meeting`:
 * when a meeting ends, wait for its recording on a ladder schedule, download
 * the minutes video with the owner's own token, name it
 * `{姓名}_{会议主题}_{YYYYMMDD_HHMM}.mp4`, file it in the user's NAS folder and
 * in `@team/{部门名称}/` for each department (hard link or copy), and tell the
 * user by card. Jobs live in SQLite, one per (meeting, user), and survive
 * restarts; a user without a usable token waits and is back-filled as soon as
 * they authorize.
 *
 * This layer knows no HTTP client: the service plugs the real APIs in
 * through the small interfaces of `ports.ts`.
 *
 * @example
 * ```ts
 * import { checkNasRoot, JobStore, loadFolderMapping, loadMeetingConfig, MeetingWorker, meetingWorkerSettings } from "./mod.ts";
 * import type { Directory, Downloader, MinutesSource, Notifier, RecordingSource, UserAuth } from "./mod.ts";
 *
 * // The real clients (see ports.ts) and the service's stop signal.
 * declare const recordings: RecordingSource, minutes: MinutesSource, downloader: Downloader;
 * declare const directory: Directory, notifier: Notifier, auth: UserAuth, signal: AbortSignal;
 * const { config } = await loadMeetingConfig({ file: "config/meeting.yaml" });
 * await checkNasRoot(config.nas.root, { reserveBytes: config.nas.reserve_mb * 1024 * 1024 });
 * const mapping = config.nas.mapping_file ? await loadFolderMapping(config.nas.mapping_file) : undefined;
 * const store = new JobStore(config.state.db);
 * const worker = new MeetingWorker({
 *   ...meetingWorkerSettings(config, mapping),
 *   store, recordings, minutes, downloader, directory, notifier, auth,
 * });
 * const done = worker.run(signal);
 * // on vc.meeting.all_meeting_ended_v1: const input = jobInputFromMeeting(meetingEnded(event)); if (input) worker.enqueue(input);
 * // on OAuth callback: worker.resumeUser(userId);
 * ```
 *
 * @module
 */
export * from "./config.ts";
export * from "./ladder.ts";
export * from "./naming.ts";
export * from "./free_name.ts";
export * from "./free_space.ts";
export * from "./nas_error.ts";
export * from "./nas.ts";
export * from "./nas_root_check.ts";
export * from "./folder_mapping.ts";
export * from "./job.ts";
export * from "./job_store.ts";
export * from "./intake.ts";
export * from "./ports.ts";
export * from "./worker.ts";
export * from "./settings.ts";
export * from "./users_export.ts";
// Types that the public signatures above refer to.
export type { Schema, SchemaIssue, SchemaResult } from "../../lib/validate/schema.ts";
export type { LoadConfigOptions, LoadedConfig } from "../../lib/config/load_config.ts";
