/**
 * The ZIP stage of an attachment job: `<download folder>.zip` built from the
 * job directory alone (the download folder named in `job.ndjson`, the files
 * `downloads.ndjson` says were saved), in a Worker that may read only the
 * job directory and the download folder and write only the ZIP. The outcome
 * is appended to `zip.ndjson`. The service runs it after the downloads;
 * `deno task attachments:zip <job dir>` reruns it alone.
 *
 * @module
 */
import { runStageWorker } from "../../lib/worker/run_stage_worker.ts";
import type { WorkerGrants } from "../../lib/worker/restricted_worker.ts";
import type { ZipWorkerResult, ZipWorkerStart } from "./_zip_worker.ts";
import { replayJob } from "./replay.ts";
import { JOB_STAGES, type ZipRecord } from "./stage_files.ts";

/** What the ZIP Worker may do. */
export function zipGrants(s: ZipWorkerStart): WorkerGrants {
  return {
    read: [s.jobDir, s.dir, `${s.zipPath}.part`],
    write: [s.zipPath, `${s.zipPath}.part`],
  };
}

/** Options of {@linkcode runZipStage}. */
export interface ZipStageOptions {
  /** The download folder (default: the one in `job.ndjson`). */
  dir?: string;
  /** Cancel (the `.part` is removed). */
  signal?: AbortSignal;
}

/** Build the ZIP of the job in `jobDir`; returns (and appends to `zip.ndjson`) its record. */
export async function runZipStage(jobDir: string, o: ZipStageOptions = {}): Promise<ZipRecord> {
  const dir = o.dir ?? (await replayJob(jobDir)).dir;
  const start: ZipWorkerStart = { jobDir, dir, zipPath: `${dir}.zip` };
  let record: ZipRecord;
  try {
    const r = await runStageWorker<ZipWorkerStart, never, ZipWorkerResult>(
      new URL("./_zip_worker.ts", import.meta.url),
      zipGrants(start),
      start,
      { signal: o.signal },
    );
    record = { type: "zip", at: new Date().toISOString(), outcome: "ok", path: start.zipPath, ...r };
  } catch (e) {
    if (o.signal?.aborted) throw e;
    const error = (e as Error).message.replace(/^stage worker failed: /, "");
    record = { type: "zip", at: new Date().toISOString(), outcome: "error", path: start.zipPath, error };
  }
  JOB_STAGES.append(jobDir, "zip", record);
  return record;
}
