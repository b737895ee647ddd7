import { minuteTokenFromUrl } from "../../lib/minutes/minute_token.ts";
import type { Logger } from "../../lib/log/logger.ts";
import { backoffDelay } from "../../lib/retry/backoff.ts";
import type { Clock } from "../../lib/time/clock.ts";
import { authReason, classifyError, errorText } from "./_classify.ts";
import type { JobPatch, JobState, MeetingJob } from "./job.ts";
import type { JobStore } from "./job_store.ts";
import type { Ladder } from "./ladder.ts";
import { type DistributeOptions, distributeRecording } from "./nas.ts";
import { meetingFileName, type NamingOptions } from "./naming.ts";
import type { Directory, Downloader, MinutesSource, Notifier, RecordingSource, UserAuth } from "./ports.ts";

/** Everything one job run needs (built by the worker). */
export interface StepContext {
  store: JobStore;
  owner: string;
  clock: Clock;
  log: Logger;
  recordings: RecordingSource;
  minutes: MinutesSource;
  downloader: Downloader;
  directory: Directory;
  notifier: Notifier;
  auth: UserAuth;
  ladder: Ladder;
  stagingDir: string;
  nas: Omit<DistributeOptions, "ownName" | "signal" | "logger">;
  naming: NamingOptions;
  maxStepAttempts: number;
  retryBaseMs: number;
  /**
   * Called when a job starts waiting for authorization; `first` is true when
   * no other job of the user was waiting already (the red card goes out then).
   */
  needAuth(job: MeetingJob, reason: string, first: boolean): Promise<void>;
}

/** Where a job's video is staged before it is filed. */
export function stagingPath(ctx: StepContext, job: MeetingJob): string {
  return `${ctx.stagingDir}/job-${job.id}.mp4`;
}

/**
 * Drive a claimed job through its steps until it finishes, is rescheduled or
 * waits for authorization. Resolves when the job's lease is released. An
 * abort leaves the job's state as it is (the lease is released by the caller).
 */
export async function runJob(ctx: StepContext, start: MeetingJob, signal: AbortSignal): Promise<void> {
  let job: MeetingJob | undefined = start;
  while (job) {
    signal.throwIfAborted();
    const current: MeetingJob = job;
    try {
      job = await step(ctx, current, signal);
    } catch (e) {
      if (signal.aborted) throw e;
      job = await onError(ctx, current, e);
    }
  }
}

async function step(ctx: StepContext, job: MeetingJob, signal: AbortSignal): Promise<MeetingJob | undefined> {
  switch (job.state) {
    case "waiting_recording":
      return await poll(ctx, job, signal);
    case "downloading":
      return await download(ctx, job, signal);
    case "distributing":
      return await distribute(ctx, job, signal);
    case "notifying":
      return await notify(ctx, job, signal);
    default:
      ctx.store.release(job.id, ctx.owner);
      return undefined;
  }
}

/**
 * Apply a patch (`release` gives the lease up in the same write). Returns the
 * updated job, or `undefined` when the lease was lost (another worker owns
 * the job now, so this run stops).
 */
function save(ctx: StepContext, job: MeetingJob, patch: JobPatch, release = false): MeetingJob | undefined {
  const next = ctx.store.update(job.id, ctx.owner, patch, release);
  if (!next) ctx.log.warn("meeting.lease_lost", { job_id: job.id });
  else if (patch.state && patch.state !== job.state) {
    ctx.log.info("meeting.state", {
      job_id: job.id,
      meeting_id: job.meetingId,
      from: job.state,
      to: patch.state,
    });
  }
  return next;
}

async function poll(ctx: StepContext, job: MeetingJob, signal: AbortSignal): Promise<MeetingJob | undefined> {
  const status = await ctx.auth.status(job.userId);
  if (status !== "authorized") return await waitForAuth(ctx, job, authReason(status));
  const rec = await ctx.recordings.getRecording(job.meetingId, job.userId, signal);
  if (!rec.ready) return notReady(ctx, job, "");
  const token = minuteTokenFromUrl(rec.url);
  if (!token) {
    return await fail(ctx, job, `录制链接中找不到妙记 token（${rec.url.split("?")[0]}），无法下载。`);
  }
  const { title } = await ctx.minutes.info(token, job.userId, signal);
  return save(ctx, job, {
    state: "downloading",
    minuteToken: token,
    topic: job.topic || title,
    attempts: 0,
    pollSince: ctx.clock.now(), // a minute still transcribing gets its own ladder from here
    lastError: "",
  });
}

async function notReady(ctx: StepContext, job: MeetingJob, lastError: string): Promise<undefined> {
  const polls = job.attempts + 1;
  const waited = ctx.clock.now() - job.pollSince;
  const d = ctx.ladder.next(polls, waited);
  if (d.action === "give_up") {
    const minutes = Math.round(ctx.ladder.totalMs / 60_000);
    const reason = job.state === "waiting_recording"
      ? `会议结束后等待 ${minutes} 分钟（查询 ${polls} 次）仍未生成录制：` +
        "请确认会议已开启云录制且录制时长超过 5 秒；如录制稍后出现，可在状态页重试。"
      : `等待 ${minutes} 分钟后妙记仍未就绪（可能仍在转写）：请稍后在状态页重试。`;
    return await fail(ctx, { ...job, attempts: polls }, reason, lastError);
  }
  save(ctx, job, { attempts: polls, nextRunAt: ctx.clock.now() + d.delayMs, lastError }, true);
  return undefined;
}

async function download(
  ctx: StepContext,
  job: MeetingJob,
  signal: AbortSignal,
): Promise<MeetingJob | undefined> {
  const dest = stagingPath(ctx, job);
  let bytes = await sizeOf(dest);
  if (bytes === undefined) {
    await Deno.mkdir(ctx.stagingDir, { recursive: true });
    const url = await ctx.minutes.mediaUrl(job.minuteToken, job.userId, signal);
    const refreshUrl = () => ctx.minutes.mediaUrl(job.minuteToken, job.userId, signal);
    bytes = (await ctx.downloader.download(url, dest, { refreshUrl, signal })).bytes;
  } else {
    ctx.log.info("meeting.staged_reused", { job_id: job.id, bytes });
  }
  return save(ctx, job, { state: "distributing", bytes, attempts: 0, lastError: "" });
}

async function distribute(
  ctx: StepContext,
  job: MeetingJob,
  signal: AbortSignal,
): Promise<MeetingJob | undefined> {
  const staged = stagingPath(ctx, job);
  if (await sizeOf(staged) === undefined) {
    ctx.log.warn("meeting.staged_missing", { job_id: job.id, path: staged });
    return save(ctx, job, { state: "downloading" });
  }
  const who = await ctx.directory.user(job.userId, signal);
  const name = meetingFileName(
    { userName: who.name, topic: job.topic, start: job.startTime, userId: job.userId },
    ctx.naming,
  );
  const r = await distributeRecording(
    staged,
    name,
    { userId: job.userId, name: who.name, departments: who.departments },
    { ...ctx.nas, ownName: job.fileName || undefined, signal, logger: ctx.log },
  );
  const next = save(ctx, job, {
    state: "notifying",
    userName: who.name,
    fileName: r.fileName,
    filePath: r.personal.path,
    paths: r.paths,
    bytes: r.bytes,
    attempts: 0,
    lastError: "",
  });
  if (next) await Deno.remove(staged).catch(() => {});
  return next;
}

async function notify(
  ctx: StepContext,
  job: MeetingJob,
  signal: AbortSignal,
): Promise<MeetingJob | undefined> {
  await Deno.remove(stagingPath(ctx, job)).catch(() => {});
  await ctx.notifier.success(job, job.paths, signal);
  save(ctx, job, { state: "done", attempts: 0, lastError: "", reason: "" }, true);
  return undefined;
}

async function waitForAuth(ctx: StepContext, job: MeetingJob, reason: string): Promise<undefined> {
  // Checked and written with no await in between, so jobs of one worker cannot both think they are first.
  const first = ctx.store.waitingForAuthorization(job.userId).length === 0;
  const saved = save(ctx, job, { state: "waiting_authorization", resumeState: job.state, reason }, true);
  if (saved) await ctx.needAuth(saved, reason, first);
  return undefined;
}

async function fail(ctx: StepContext, job: MeetingJob, reason: string, lastError = ""): Promise<undefined> {
  ctx.log.warn("meeting.failed", { job_id: job.id, meeting_id: job.meetingId, state: job.state, reason });
  const saved = save(ctx, job, { state: "failed", reason, attempts: job.attempts, lastError }, true);
  if (saved && ctx.notifier.failed) {
    await ctx.notifier.failed(saved, reason).catch((e) =>
      ctx.log.warn("meeting.notify_failed", { error: e })
    );
  }
  return undefined;
}

async function onError(ctx: StepContext, job: MeetingJob, e: unknown): Promise<MeetingJob | undefined> {
  const action = classifyError(e);
  const text = errorText(e);
  ctx.log.warn("meeting.step_error", { job_id: job.id, state: job.state, action, error: e });
  if (action === "auth") return await waitForAuth(ctx, job, `${text}（授权后将自动补传）`);
  if (action === "not_ready") return await notReady(ctx, job, text);
  if (action === "retry" && job.state === "waiting_recording") return await notReady(ctx, job, text);
  const attempts = job.attempts + 1;
  if (action === "fatal" || attempts >= ctx.maxStepAttempts) {
    if (job.state === "notifying") {
      // The file is archived; only the card failed. Finish, keeping the error.
      save(ctx, job, { state: "done", lastError: `完成通知发送失败：${text}` }, true);
      return undefined;
    }
    return await fail(ctx, { ...job, attempts }, `${STEP_TEXT[job.state] ?? job.state}失败：${text}`, text);
  }
  const delay = backoffDelay(attempts, { baseMs: ctx.retryBaseMs, capMs: 300_000, jitter: 0 });
  save(ctx, job, { attempts, nextRunAt: ctx.clock.now() + delay, lastError: text }, true);
  return undefined;
}

const STEP_TEXT: Partial<Record<JobState, string>> = {
  waiting_recording: "查询录制",
  downloading: "下载录制",
  distributing: "归档到 NAS",
  notifying: "发送通知",
};

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const st = await Deno.stat(path);
    return st.isFile ? st.size : undefined;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
