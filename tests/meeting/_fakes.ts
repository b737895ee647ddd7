// Fakes of the archiver's ports, driven by a FakeClock: a tiny "Feishu" that knows when each
// meeting's recording appears, which users are authorized, and records every card and download.
// These are in-process fakes of the worker's ports (no HTTP), not a copy of the sandbox: they drive
// the job state machine under a FakeClock; the same flows over HTTP run in tests/meeting_e2e.
import { AuthError } from "../../lib/errors/auth_error.ts";
import { waitFor } from "../../lib/testing/wait_for.ts";
import type { FakeClock } from "../../lib/testing/fake_clock.ts";
import type { UserAuthStatus } from "../../lib/token/user_token_info.ts";
import type { MeetingJob } from "../../pipelines/meeting/job.ts";
import type { JobStore } from "../../pipelines/meeting/job_store.ts";
import type { DistributedPath } from "../../pipelines/meeting/nas.ts";
import type {
  Directory,
  DirectoryUser,
  Downloader,
  DownloadRequest,
  MinutesSource,
  Notifier,
  RecordingSource,
  RecordingStatus,
  UserAuth,
} from "../../pipelines/meeting/ports.ts";
import type { MeetingWorker } from "../../pipelines/meeting/worker.ts";

/** Bytes of the video of minute `token` (deterministic). */
export function video(token: string, size = 64 * 1024): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + token.charCodeAt(i % token.length)) & 0xff;
  return out;
}

/** A 24-char lowercase minute token for a meeting id. */
export function tokenOf(meetingId: string): string {
  return `obcn${meetingId.toLowerCase().replace(/[^a-z0-9]/g, "")}`.padEnd(24, "0").slice(0, 24);
}

/** One card sent. */
export type Card =
  | { kind: "success"; jobId: number; userId: string; paths: DistributedPath[] }
  | { kind: "auth"; jobId: number; userId: string; reason: string }
  | { kind: "failed"; jobId: number; userId: string; reason: string };

/** The fake Feishu behind every port. */
export class FakeFeishu {
  /** When each meeting's recording exists (ms epoch); absent = never. */
  readyAt = new Map<string, number>();
  /** Authorization of each user (default authorized). */
  status = new Map<string, UserAuthStatus>();
  /** Users of the directory. */
  users = new Map<string, DirectoryUser>();
  /** Times (ms epoch) of each recording poll, per meeting. */
  polls = new Map<string, number[]>();
  /** Downloads started (dest paths). */
  downloads: string[] = [];
  /** Bytes sent by the downloader over all calls. */
  bytesSent = 0;
  /** Cards sent. */
  cards: Card[] = [];
  /** Downloads running now, and the most seen at once. */
  inFlight = 0;
  /** See {@linkcode inFlight}. */
  maxInFlight = 0;
  /** When set, each download waits for this before finishing (concurrency tests). */
  gate?: () => Promise<void>;
  /** When set, the next download writes this many bytes to `.part` and then hangs until aborted. */
  hangAfter?: number;
  /** True once a download hangs (see {@linkcode hangAfter}). */
  hanging = false;
  /** Errors thrown by the next download calls, in order. */
  downloadErrors: unknown[] = [];
  /** Video size. */
  size = 64 * 1024;

  constructor(readonly clock: FakeClock) {}

  #authorized(userId: string): void {
    if ((this.status.get(userId) ?? "authorized") !== "authorized") {
      throw new AuthError("refresh token expired", {
        code: 20037,
        tokenKind: "refresh",
        hint: "请重新授权。",
      });
    }
  }

  readonly recordings: RecordingSource = {
    getRecording: (meetingId: string, userId: string): Promise<RecordingStatus> => {
      this.#authorized(userId);
      const list = this.polls.get(meetingId) ?? [];
      list.push(this.clock.now());
      this.polls.set(meetingId, list);
      const at = this.readyAt.get(meetingId);
      if (at === undefined || this.clock.now() < at) return Promise.resolve({ ready: false });
      return Promise.resolve({
        ready: true,
        url: `https://meetings.feishu.cn/minutes/${tokenOf(meetingId)}?from=vc`,
      });
    },
  };

  readonly minutes: MinutesSource = {
    info: (token: string, userId: string) => {
      this.#authorized(userId);
      return Promise.resolve({ title: `妙记 ${token.slice(0, 8)}` });
    },
    mediaUrl: (token: string, userId: string) => {
      this.#authorized(userId);
      return Promise.resolve(`https://download.example/${token}.mp4?sig=${this.clock.now()}`);
    },
  };

  readonly downloader: Downloader = {
    download: async (url: string, dest: string, req: DownloadRequest): Promise<{ bytes: number }> => {
      this.downloads.push(dest);
      const err = this.downloadErrors.shift();
      if (err) throw err;
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        const token = new URL(url).pathname.slice(1).replace(/\.mp4$/, "");
        const data = video(token, this.size);
        const part = `${dest}.part`;
        let have = 0;
        try {
          have = (await Deno.stat(part)).size;
        } catch { /* fresh */ }
        if (this.hangAfter !== undefined) {
          const n = this.hangAfter;
          this.hangAfter = undefined;
          await Deno.writeFile(part, data.subarray(have, n), { append: true });
          this.bytesSent += n - have;
          this.hanging = true;
          await new Promise((_, reject) => {
            if (req.signal?.aborted) reject(req.signal.reason);
            req.signal?.addEventListener("abort", () => reject(req.signal!.reason));
          });
        }
        if (this.gate) await this.gate();
        req.signal?.throwIfAborted();
        await Deno.writeFile(part, data.subarray(have), { append: true });
        this.bytesSent += data.length - have;
        await Deno.rename(part, dest);
        return { bytes: data.length };
      } finally {
        this.inFlight--;
      }
    },
  };

  readonly directory: Directory = {
    user: (userId: string) => {
      const u = this.users.get(userId);
      return u ? Promise.resolve(u) : Promise.reject(new Error(`no user ${userId}`));
    },
  };

  readonly notifier: Notifier = {
    success: (job: MeetingJob, paths: readonly DistributedPath[]) => {
      this.cards.push({ kind: "success", jobId: job.id, userId: job.userId, paths: [...paths] });
      return Promise.resolve();
    },
    authorizationRequired: (job: MeetingJob, reason: string) => {
      this.cards.push({ kind: "auth", jobId: job.id, userId: job.userId, reason });
      return Promise.resolve();
    },
    failed: (job: MeetingJob, reason: string) => {
      this.cards.push({ kind: "failed", jobId: job.id, userId: job.userId, reason });
      return Promise.resolve();
    },
  };

  readonly auth: UserAuth = {
    status: (userId: string) => Promise.resolve(this.status.get(userId) ?? "authorized"),
  };
}

/**
 * Advance fake time job by job: jump to the next due time, run what is due,
 * until nothing is due before `until` (ms epoch).
 */
export async function drive(
  worker: MeetingWorker,
  store: JobStore,
  clock: FakeClock,
  until: number,
): Promise<void> {
  for (let guard = 0; guard < 10_000; guard++) {
    await worker.runOnce();
    const due = store.listRecent(1000)
      .filter((j) => ["waiting_recording", "downloading", "distributing", "notifying"].includes(j.state))
      .map((j) => Math.max(j.nextRunAt, j.leaseUntil ?? 0));
    if (due.length === 0) return;
    const next = Math.min(...due);
    if (next > until) return;
    await clock.tick(Math.max(0, next - clock.now()));
  }
  throw new Error("drive: too many rounds");
}

/** Wait (real time, at most 5 s) until `cond()` holds. */
export async function until(cond: () => boolean): Promise<void> {
  await waitFor(cond, { timeoutMs: 5000, intervalMs: 1, what: "until()" });
}
