import type { EventState } from "../../../lib/events/event_store.ts";
import type { LongConnectionState, LongConnectionStats } from "../../../lib/events/ws_adapter.ts";
import type { JobState } from "../job.ts";
import type { JobStore } from "../job_store.ts";
import type { MeetingWorker } from "../worker.ts";
import { htmlResponse } from "./_html.ts";
import { statusPage } from "./_status_page.ts";
import type { EventProcessorHealth, EventProcessorStats } from "./event_processor.ts";
import type { MeetingRoutes } from "./meeting_routes.ts";

/** What `GET /healthz` answers. */
export interface MeetingHealth {
  /**
   * True when the loops run, events can arrive (webhook, or a connected long connection)
   * and the event processor is healthy (not erroring in a row, not stuck on one event).
   */
  ok: boolean;
  /** Why not ok (Chinese), when it is not. */
  reason?: string;
  /** `events.mode`. */
  mode: "webhook" | "long_connection";
  /** Whether the worker and event loops run. */
  running: boolean;
  /** Long connection, in that mode. */
  connection?: { state: LongConnectionState; stats: LongConnectionStats };
  /** Jobs being processed right now. */
  activeJobs: number;
  /** Jobs per state. */
  jobs: Record<JobState, number>;
  /** Stored events per state. */
  events: Record<EventState, number>;
  /** Event processor counters since start. */
  processor: EventProcessorStats;
  /** Event processor health (errors in a row, event in progress). */
  processorHealth: EventProcessorHealth;
}

/** What {@linkcode registerStatusRoutes} needs. */
export interface StatusRoutesOptions {
  /** The current health. */
  health: () => Promise<MeetingHealth>;
  /** The job store (recent jobs). */
  jobs: Pick<JobStore, "listRecent">;
  /** The worker (retry of a failed job). */
  worker: Pick<MeetingWorker, "retry">;
  /** Time zone of the times shown (`naming.time_zone`). */
  timeZone: string;
  /** `{public_base_url}/auth/start`, shown on the page. */
  authStartUrl: string;
  /** Jobs listed (default 100). */
  limit?: number;
}

/**
 * Health and status:
 * - `GET /healthz`: JSON {@linkcode MeetingHealth}, HTTP 200 when `ok`, else 503;
 * - `GET /` and `GET /status`: a Chinese page with the queue and event counts
 *   and the most recent jobs (state, file, reason), refreshed every 10 s;
 * - `POST /jobs/:id/retry`: send a failed job round again (the page's 「重试」
 *   button). Host, origin and admin-token checks are the front door's
 *   (`registerAdminAccess`), which the service installs before these routes.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { JobStore } from "../job_store.ts";
 * import type { MeetingWorker } from "../worker.ts";
 *
 * declare const jobs: JobStore, worker: MeetingWorker, health: () => Promise<MeetingHealth>;
 * const app = new Hono(); // registerAdminAccess(app, …) first: these routes check nothing themselves
 * registerStatusRoutes(app, {
 *   health,
 *   jobs,
 *   worker,
 *   timeZone: "Asia/Shanghai",
 *   authStartUrl: "https://archiver.example.com/auth/start",
 * });
 * ```
 */
export function registerStatusRoutes(app: Pick<MeetingRoutes, "get" | "post">, o: StatusRoutesOptions): void {
  app.get("/healthz", async (c) => {
    const h = await o.health();
    return c.json(h, h.ok ? 200 : 503, { "cache-control": "no-store" });
  });
  const status = async () =>
    htmlResponse(
      statusPage(await o.health(), o.jobs.listRecent(o.limit ?? 100), {
        timeZone: o.timeZone,
        authStartUrl: o.authStartUrl,
      }),
    );
  app.get("/", status);
  app.get("/status", status);
  app.post("/jobs/:id/retry", (c) => {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id) || id <= 0) return c.text("任务编号无效。", 400);
    const ok = o.worker.retry(id);
    if (!ok) return c.text("只有失败的任务可以重试。", 409);
    // Relative, so it also works behind a proxy that serves the service under a path prefix.
    return c.redirect("../../status", 303);
  });
}
