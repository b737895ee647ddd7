import { stagingDir } from "./config.ts";
import type { MeetingConfig } from "./config.ts";
import type { MeetingWorkerOptions } from "./worker.ts";

/** The worker options that come straight from the config (everything but the stores and ports). */
export type MeetingWorkerSettings = Pick<
  MeetingWorkerOptions,
  "stagingDir" | "nas" | "naming" | "ladder" | "concurrency"
>;

/**
 * Map the validated config onto {@linkcode MeetingWorkerOptions}: staging
 * folder, NAS layout (with the mapping file already read by
 * `loadFolderMapping`, when one is configured), naming, ladder (seconds → ms)
 * and concurrency.
 *
 * @example
 * ```ts
 * import { loadFolderMapping } from "./folder_mapping.ts";
 * import type { JobStore } from "./job_store.ts";
 * import type { MeetingConfig } from "./config.ts";
 * import { MeetingWorker, type MeetingWorkerOptions } from "./worker.ts";
 *
 * declare const config: MeetingConfig, store: JobStore;
 * declare const ports: Pick<MeetingWorkerOptions, "recordings" | "minutes" | "downloader" | "directory" | "notifier" | "auth">;
 *
 * const mapping = config.nas.mapping_file ? await loadFolderMapping(config.nas.mapping_file) : undefined;
 * const worker = new MeetingWorker({ ...meetingWorkerSettings(config, mapping), store, ...ports });
 * ```
 */
export function meetingWorkerSettings(
  config: MeetingConfig,
  mapping?: ReadonlyMap<string, string>,
): MeetingWorkerSettings {
  return {
    stagingDir: stagingDir(config),
    nas: {
      nasRoot: config.nas.root,
      personalFolder: config.nas.personal_folder,
      mapping,
      teamFolder: config.nas.team_folder,
      teamCopies: config.nas.team_copies,
      reserveBytes: config.nas.reserve_mb * 1024 * 1024,
      maxChars: config.naming.max_chars,
      maxBytes: config.naming.max_bytes,
    },
    naming: {
      template: config.naming.template,
      timeZone: config.naming.time_zone,
      maxChars: config.naming.max_chars,
      maxBytes: config.naming.max_bytes,
    },
    ladder: {
      stepsMs: config.ladder.steps_seconds.map((s) => s * 1000),
      repeatMs: config.ladder.repeat_seconds * 1000,
      totalMs: config.ladder.total_seconds * 1000,
    },
    concurrency: config.download.concurrency,
  };
}
