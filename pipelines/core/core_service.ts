import { Hono } from "hono";
import { constantTimeEqual } from "../../lib/events/_bytes.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { maskParams } from "../../lib/log/mask.ts";
import { newRequestId } from "../../lib/http/request_id.ts";
import type { JobQueue, QueueConsumer } from "../../lib/queue/job_queue.ts";
import {
  type CardJob,
  type CardRouter,
  type CardUpdater,
  handleCardCallback,
  type HandledLedger,
  startCardWorker,
} from "../../lib/callback/mod.ts";
import { ReplayGuard } from "../../lib/events/replay_guard.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import { inlineCardHandler } from "./_inline_card_handler.ts";
import type { AdminRegistry } from "./admin_registry.ts";
import { registerAdminRoutes } from "./admin_routes.ts";
import { type AdminUserAuth, registerUserAuthAdminRoutes } from "./admin_user_auth_routes.ts";
import type { CoreEnv } from "./core_env.ts";
import type { CoreRoutes } from "./core_routes.ts";
import { errorResponse, errorResponseOf, okResponse } from "./envelope.ts";
import { CoreMetrics } from "./metrics.ts";

/** Path of the card callback URL (configure it as the app's callback request URL). */
export const CARD_CALLBACK_PATH = "/callback/card";

/** Options of {@linkcode createCoreService}. */
export interface CoreServiceOptions {
  /** Card callback queue. */
  queue: JobQueue<CardJob>;
  /** Card handlers by action. */
  router: CardRouter;
  /** Handled-callback ledger. */
  ledger: HandledLedger;
  /** Applies handlers' cards. */
  updater: CardUpdater;
  /** Callback verification of the app this URL serves. */
  callback: { appId?: string; encryptKey?: string; verificationToken?: string; replayGuard?: ReplayGuard };
  /** When the queue is down (default `"refuse"`: 503 degraded). */
  whenQueueDown?: "refuse" | "inline";
  /**
   * Time the card callback has to answer, ms (default 2500; Feishu waits 3 s): an enqueue
   * not confirmed by then counts as the queue being down (see `handleCardCallback`).
   */
  callbackBudgetMs?: number;
  /** Time source of the callback budget (default the system clock). */
  clock?: Clock;
  /** Start workers in this process (default true; false for intake-only instances). */
  workers?: boolean;
  /** Worker concurrency (default 8). */
  concurrency?: number;
  /**
   * Admin API: the registry and its bearer token (routes absent when either is missing),
   * and user authorization (`/admin/user-auth`) when given.
   */
  admin?: { registry: AdminRegistry; token: string; userAuth?: AdminUserAuth };
  /**
   * Host names requests may be addressed to (the `Host` header); others get
   * 421 (a DNS-rebinding page cannot reach the service). Default: any.
   */
  allowedHosts?: string[];
  /** Bearer token `/metrics` requires (set when the service is reachable beyond loopback). */
  metricsToken?: string;
  /** Extra routes (e.g. the user-authorization callback) registered on the app. */
  extraRoutes?: (app: CoreRoutes) => void;
  /** Logger (one `http.request` line per request). */
  logger?: Logger;
}

/** A built core service. */
export interface CoreService {
  /** The request handler (give it to `serveGuarded`). */
  fetch: (request: Request) => Promise<Response>;
  /** Counters. */
  metrics: CoreMetrics;
  /** Stop the workers (the queue stays open). */
  stop(): Promise<void>;
}

/**
 * The Lark service core as an HTTP service (Hono):
 * - `POST /callback/card`: verified, queued card callbacks (see `handleCardCallback`);
 * - `GET /healthz`: queue reachability and depth (`200` or `503` degraded);
 * - `GET /metrics`: request/latency counters, JSON (default) or Prometheus text
 *   (`?format=prometheus` or `Accept: text/plain`);
 * - `/admin/apps…`: the app registry, behind a bearer token;
 * - `/admin/user-auth…`: start a user authorization, read a session's status (same token);
 * plus workers that run card handlers from the queue. Every answer but the
 * callback's (whose shape Feishu fixes) uses the envelope `{code, request_id, data, error}`,
 * and each request is logged with its id, route, masked query, status and duration.
 */
export function createCoreService(o: CoreServiceOptions): CoreService {
  const log = o.logger ?? silentLogger;
  const metrics = new CoreMetrics();
  const app = new Hono<CoreEnv>();

  app.use("*", async (c, next) => {
    const given = c.req.header("x-request-id");
    const requestId = given && /^[A-Za-z0-9_.:-]{1,64}$/.test(given) ? given : newRequestId();
    c.set("requestId", requestId);
    const t0 = performance.now();
    const host = new URL(c.req.url).hostname.replace(/^\[|\]$/g, "");
    if (o.allowedHosts && !o.allowedHosts.includes(host)) {
      c.res = errorResponse(requestId, 421, "misdirected", {
        kind: "bad_request",
        message: `host ${host.slice(0, 80)} is not served here`,
        fix: "请求的主机名不在本服务的允许列表中：请通过 FEISHU_CORE_PUBLIC_URL 中的地址或本机地址访问。",
      });
    } else {
      await next();
    }
    const ms = performance.now() - t0;
    const route = c.req.routePath === "/*" ? "unmatched" : c.req.routePath;
    metrics.observe(`${c.req.method} ${route}`, c.res.status, ms);
    if (!c.res.headers.has("x-request-id")) c.res.headers.set("x-request-id", requestId);
    log.info("http.request", {
      request_id: requestId,
      endpoint: `${c.req.method} ${route}`,
      params: maskParams(Object.fromEntries(new URL(c.req.url).searchParams)),
      status: c.res.status,
      duration_ms: Math.round(ms * 100) / 100,
    });
  });

  // One nonce memory for the life of the service (not per request).
  const replayGuard = o.callback.replayGuard ?? new ReplayGuard();
  const inline = inlineCardHandler({
    router: o.router,
    ledger: o.ledger,
    clock: o.clock ?? systemClock,
    logger: log,
  });
  app.post(CARD_CALLBACK_PATH, async (c) => {
    const res = await handleCardCallback(c.req.raw, {
      queue: o.queue,
      ...o.callback,
      replayGuard,
      whenQueueDown: o.whenQueueDown,
      inline,
      budgetMs: o.callbackBudgetMs,
      clock: o.clock,
      requestId: c.get("requestId"),
      logger: log.child({ request_id: c.get("requestId") }),
      onQueued: () => metrics.count("card_callbacks_queued"),
    });
    if (res.status === 503) metrics.count("card_callbacks_degraded");
    else if (res.status === 401) metrics.count("card_callbacks_refused");
    return res;
  });

  app.get("/healthz", async (c) => {
    const rid = c.get("requestId");
    try {
      await o.queue.ping();
      const stats = await o.queue.stats();
      return okResponse(rid, { status: "ok", queue: { backend: o.queue.backend, ...stats } });
    } catch (e) {
      return errorResponse(rid, 503, "degraded", {
        kind: "degraded",
        message: e instanceof Error ? e.message : String(e),
        fix: `队列（${o.queue.backend}）不可用：新的卡片回调会被拒绝（503），请检查数据库或消息队列服务。`,
      });
    }
  });

  app.get("/metrics", (c) => {
    if (o.metricsToken !== undefined) {
      const m = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "");
      if (!m || !o.metricsToken || !constantTimeEqual(m[1], o.metricsToken)) {
        return errorResponse(c.get("requestId"), 401, "unauthorized", {
          kind: "auth",
          message: "metrics need the admin bearer token",
          fix: "服务监听在非本机地址时，/metrics 需要 Authorization: Bearer <FEISHU_CORE_ADMIN_TOKEN>。",
        });
      }
    }
    const prom = c.req.query("format") === "prometheus" ||
      (c.req.header("accept") ?? "").includes("text/plain");
    if (prom) {
      return new Response(metrics.toPrometheus(), {
        headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
      });
    }
    return okResponse(c.get("requestId"), metrics.toJSON());
  });

  if (o.admin) {
    registerAdminRoutes(app, o.admin.registry, o.admin.token);
    // After the bearer check registerAdminRoutes puts on /admin/*.
    if (o.admin.userAuth) registerUserAuthAdminRoutes(app, o.admin.userAuth);
  }
  o.extraRoutes?.(app);

  app.notFound((c) =>
    errorResponse(c.get("requestId") ?? newRequestId(), 404, "not_found", {
      kind: "not_found",
      message: `no route ${c.req.method} ${new URL(c.req.url).pathname}`,
      fix: "路径不存在，请核对接口地址。",
    })
  );
  app.onError((err, c) => {
    log.error("http.unhandled", { request_id: c.get("requestId"), error: err });
    return errorResponseOf(c.get("requestId") ?? newRequestId(), err);
  });

  let worker: QueueConsumer | undefined;
  if (o.workers !== false) {
    worker = startCardWorker({
      queue: o.queue,
      router: o.router,
      ledger: o.ledger,
      updater: o.updater,
      concurrency: o.concurrency,
      logger: log,
      onFinished: (_a, outcome) => metrics.count(`card_callbacks_${outcome}`),
    });
  }

  return {
    fetch: (request) => Promise.resolve(app.fetch(request)),
    metrics,
    stop: async () => {
      await worker?.stop();
    },
  };
}
