/**
 * The ZIP stage of an attachment job as a Worker (internal; see
 * `zip_stage.ts`). Started with read access to the job directory and the
 * download folder and write access to the ZIP (and its `.part`) only. It
 * reads `downloads.ndjson` (every line checked; a malformed one fails the
 * stage rather than leaving a file out), zips the files whose last outcome
 * is saved, and reports the entries, size and SHA-256 of the ZIP.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { serveStageWorker } from "../../lib/worker/serve_stage_worker.ts";
import { JOB_STAGES } from "./stage_files.ts";
import { savedFiles } from "./replay.ts";
import { zipFolder } from "./zip_folder.ts";

/** What the stage is started with. */
export interface ZipWorkerStart {
  /** The job directory (stage files). */
  jobDir: string;
  /** The download folder. */
  dir: string;
  /** Where the ZIP goes. */
  zipPath: string;
}

/** What the stage wrote. */
export interface ZipWorkerResult {
  entries: number;
  bytes: number;
  sha256: string;
}

serveStageWorker<ZipWorkerStart, never, ZipWorkerResult>(async (start, { signal }) => {
  const downloads = await JOB_STAGES.read(start.jobDir, "downloads", { invalid: "throw" });
  const files = savedFiles(downloads);
  // The ZIP is hashed as it is written: no second read of a file that may be gigabytes.
  const hash = createHash("sha256");
  let bytes = 0;
  const onWrite = (chunk: Uint8Array) => {
    hash.update(chunk);
    bytes += chunk.length;
  };
  const entries = await zipFolder(start.dir, start.zipPath, { signal, files, onWrite });
  return { entries, bytes, sha256: hash.digest("hex") };
});
