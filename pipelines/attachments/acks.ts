/**
 * The acks the service sends (`feishu_attachment_ack`), one builder per row
 * of the protocol's ack table. `order` is `null` for job-level acks; the
 * plugin treats an order-less `error` as "abort the whole job", so only
 * {@linkcode fatalAck} builds one.
 *
 * @module
 */
import { MSG, SERVER_VERSION } from "./protocol.ts";

/** An ack frame. */
export interface Ack {
  /** Message type ({@linkcode MSG}.ack). */
  type: typeof MSG.ack;
  /** Ack status, message and the file's `order` (`null`: the job), plus per-status fields. */
  data: { status: string; message: string; order: number | null; [k: string]: unknown };
}

function ack(
  status: string,
  message: string,
  order: number | null,
  extra: Record<string, unknown> = {},
): Ack {
  return { type: MSG.ack, data: { status, message, order, ...extra } };
}

/** Probe reply, and the one reply to an accepted config. */
export const serverInfoAck = (): Ack =>
  ack("success", "server info", null, { stage: "server_info", version: SERVER_VERSION });

/** Ask the plugin for a new URL of file `order`. */
export const refreshAck = (order: number, name: string): Ack =>
  ack("refresh", "正在请求新的下载链接…", order, { stage: "refresh", name });

/** Progress of file `order` (0..99). */
export const progressAck = (order: number, percentage: number): Ack =>
  ack("progress", `${percentage}%`, order, { percentage: Math.max(0, Math.min(99, Math.floor(percentage))) });

/** File `order` saved at `absPath` (`relPath` relative to the job folder). */
export const fileSuccessAck = (
  order: number,
  absPath: string,
  relPath: string,
  name: string,
  size: number,
): Ack => ack("success", absPath, order, { stage: "file", size, name, path: relPath });

/** File `order` failed after its attempts. */
export const fileErrorAck = (
  order: number,
  reason: string,
  name: string,
  requestedPath: string,
  attempts: number,
): Ack =>
  ack("error", `download failed after ${attempts} attempts: ${reason}`, order, {
    stage: "file",
    name,
    path: requestedPath,
    fileKey: `order-${order}`,
    attempts,
  });

/** A per-file validation problem (the file is marked failed, the job goes on). */
export const itemErrorAck = (order: number, message: string): Ack => ack("error", message, order);

/** A job-level error: the plugin aborts the whole job. Only where the job really cannot go on. */
export const fatalAck = (message: string): Ack => ack("error", message, null);

/** Start of the automatic retry round. */
export const retryRoundAck = (failed: number): Ack =>
  ack("success", `retrying ${failed} failed file(s)`, null, { stage: "retry_failed_files", failed });

/** ZIP written. */
export const zipAck = (zipPath: string): Ack =>
  ack("success", zipPath, null, { stage: "zip", path: zipPath });

/** Always the last ack of a job. */
export const jobCompleteAck = (jobId: string | null): Ack =>
  ack("success", "job completed", null, { stage: "job_complete", jobId });
