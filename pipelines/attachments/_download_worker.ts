/**
 * The download stage of an attachment job as a Worker (internal; see
 * `download_stage.ts`). Started with read/write access to the job's download
 * folder and network access to the download hosts only: no state folder, no
 * environment, no subprocess. It takes `files.ndjson` records (checked
 * against the stage schema) as inputs while the job runs, downloads each with
 * bounded concurrency, and asks the main thread for what only the main
 * thread has: a fresh link from the plugin (URL mode) and a request slot of
 * the document's shared 2 QPS budget (token mode). The personal base token
 * arrives with each token-mode file, in memory only.
 *
 * @module
 */
import { sha256File } from "../../lib/encoding/sha256_file.ts";
import { systemClock } from "../../lib/time/mod.ts";
import { serveStageWorker } from "../../lib/worker/serve_stage_worker.ts";
import { targetPath } from "./_job_files.ts";
import { Semaphore } from "./_semaphore.ts";
import {
  failureKind,
  failureReason,
  fetchByToken,
  fetchByUrl,
  type FetchCommon,
  isTokenRefused,
} from "./fetch_attachment.ts";
import type { LinkItem } from "./protocol.ts";
import { type FileRecord, FileRecordSchema } from "./stage_files.ts";

/** What the stage is started with. */
export interface DownloadWorkerStart {
  /** The job's download folder. */
  dir: string;
  mode: "url" | "token";
  /** Downloads at once. */
  concurrency: number;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /** Token mode: base of the base-api host. */
  baseApiUrl: string;
  /** Token mode: the Base's table id. */
  tableId?: string;
}

/** Main thread → stage, while it runs. */
export type DownloadWorkerInput =
  /** Download this file (`url`: a link the plugin sent up front; `auth`: the personal base token). */
  | { type: "file"; file: FileRecord; url?: string; auth?: string }
  /** Answer to `need_url`: the link, or why there is none (`kind`: `refresh`, `host_refused`). */
  | { type: "url"; id: number; url?: string; error?: string; kind?: string }
  /** Answer to `acquire`: the request may go. */
  | { type: "slot"; id: number }
  /** No more files: end when the running ones are done. */
  | { type: "finish" };

/** Stage → main thread. */
export type DownloadWorkerEvent =
  | { type: "need_url"; id: number; order: number; name: string }
  | { type: "acquire"; id: number }
  | { type: "throttled"; ms: number }
  | { type: "started"; seq: number }
  | { type: "progress"; seq: number; bytes: number; total?: number }
  | { type: "done"; seq: number; bytes: number; sha256: string; resumes: number; elapsedMs: number }
  | { type: "failed"; seq: number; kind: string; message: string; tokenRefused: boolean }
  | { type: "aborted"; seq: number };

/** Files the stage saved and gave up on. */
export interface DownloadWorkerResult {
  done: number;
  failed: number;
}

/** Progress events per file at most this often, ms. */
const PROGRESS_EVERY_MS = 200;

serveStageWorker<DownloadWorkerStart, DownloadWorkerEvent, DownloadWorkerResult, DownloadWorkerInput>(
  async (start, { signal, emit, onInput, logger }) => {
    const sem = new Semaphore(start.concurrency);
    // URL mode asks for the link before a download slot is free (at most 2× the concurrency
    // ahead, so links do not age), so slots do not sit idle during the plugin's round trip.
    const ahead = new Semaphore(start.concurrency * 2);
    const calls = new Map<number, { resolve: (v: string) => void; reject: (e: Error) => void }>();
    let nextId = 1;
    const ask = (event: (id: number) => DownloadWorkerEvent): Promise<string> => {
      if (signal.aborted) return Promise.reject(signal.reason);
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        calls.set(id, {
          resolve: (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
          reject: (e) => (signal.removeEventListener("abort", onAbort), reject(e)),
        });
        emit(event(id));
      });
    };
    const counts: DownloadWorkerResult = { done: 0, failed: 0 };
    let refused: string | undefined;
    const tasks = new Set<Promise<void>>();
    const finish = Promise.withResolvers<void>();

    const download = async (input: Extract<DownloadWorkerInput, { type: "file" }>): Promise<void> => {
      const file = FileRecordSchema.parse(input.file);
      const releases: (() => void)[] = [];
      const refresh = () => ask((id) => ({ type: "need_url", id, order: file.order!, name: file.name }));
      try {
        releases.push(await ahead.take(signal));
        if (refused) throw new Error(refused);
        const dest = await targetPath(start.dir, file.rel);
        const first = start.mode === "url" ? input.url ?? await refresh() : "";
        releases.push(await sem.take(signal));
        emit({ type: "started", seq: file.seq });
        const began = Date.now();
        let last = -Infinity;
        const common: FetchCommon = {
          dest,
          connectTimeoutMs: start.connectTimeoutMs,
          readTimeoutMs: start.readTimeoutMs,
          signal,
          clock: systemClock,
          logger,
          onProgress: (bytes, total) => {
            const now = Date.now();
            if (now - last < PROGRESS_EVERY_MS) return;
            last = now;
            emit({ type: "progress", seq: file.seq, bytes, total });
          },
        };
        let result;
        if (start.mode === "token") {
          if (!input.auth) throw new Error("未配置授权码（Personal Base Token），无法按授权码下载。");
          result = await fetchByToken({
            baseApiUrl: start.baseApiUrl,
            token: input.auth,
            tableId: start.tableId!,
            item: linkItem(file),
            budget: {
              acquire: async () => void await ask((id) => ({ type: "acquire", id })),
              pause: (ms) => emit({ type: "throttled", ms }),
            },
          }, common);
        } else {
          result = await fetchByUrl(first, refresh, common);
        }
        const sha256 = await sha256File(dest, signal);
        counts.done++;
        emit({
          type: "done",
          seq: file.seq,
          bytes: result.bytes,
          sha256,
          resumes: result.resumes,
          elapsedMs: Date.now() - began,
        });
      } catch (e) {
        if (signal.aborted) return emit({ type: "aborted", seq: file.seq });
        const message = failureReason(e);
        if (isTokenRefused(e)) refused ??= message;
        counts.failed++;
        emit({
          type: "failed",
          seq: file.seq,
          kind: e instanceof LinkError ? e.kind : failureKind(e),
          message,
          tokenRefused: isTokenRefused(e),
        });
      } finally {
        for (const r of releases.reverse()) r();
      }
    };

    onInput((input) => {
      if (input.type === "file") {
        const task = download(input).finally(() => tasks.delete(task));
        tasks.add(task);
      } else if (input.type === "finish") finish.resolve();
      else {
        const call = calls.get(input.id);
        calls.delete(input.id);
        if (input.type === "slot") call?.resolve("");
        else if (input.url !== undefined) call?.resolve(input.url);
        else call?.reject(new LinkError(input.error ?? "url refresh failed", input.kind ?? "refresh"));
      }
    });
    const stopped = new Promise<void>((r) =>
      signal.aborted ? r() : signal.addEventListener("abort", () => r(), { once: true })
    );
    await Promise.race([finish.promise, stopped]);
    while (tasks.size) await Promise.allSettled([...tasks]);
    return counts;
  },
);

/** No link for a file: the plugin could not give one, or it points outside the grant. */
class LinkError extends Error {
  /** `refresh` or `host_refused`. */
  readonly kind: string;
  constructor(message: string, kind: string) {
    super(message);
    this.kind = kind;
  }
}

function linkItem(f: FileRecord): LinkItem {
  return {
    name: f.name,
    path: f.path,
    order: f.order,
    size: f.size,
    token: f.token,
    fieldId: f.field_id,
    recordId: f.record_id,
  };
}
