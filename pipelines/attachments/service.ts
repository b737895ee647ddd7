/**
 * The attachment service: a Hono app on `Deno.serve` that accepts the
 * plugin's WebSocket on any path (as upstream), behind the origin gate and
 * the connection/frame bounds, and hands each connection to a
 * {@linkcode PluginConnection}. On start it finishes token-mode jobs a
 * stopped process left running and marks URL-mode ones interrupted (their
 * files wait for the plugin's next run).
 *
 * @module
 */
import { Hono } from "hono";
import { dirname, join } from "node:path";
import type { Logger } from "../../lib/log/mod.ts";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import { type Clock, systemClock } from "../../lib/time/mod.ts";
import * as acks from "./acks.ts";
import { AttachmentJob, type JobDeps } from "./attachment_job.ts";
import { PluginConnection } from "./connection.ts";
import { updateJobRecord } from "./job_log.ts";
import { JobStore } from "./job_store.ts";
import { Monitor } from "./monitor.ts";
import { isLoopbackBind, OriginGate } from "./origin_policy.ts";
import { DEFAULTS, type JobSettings } from "./settings.ts";

/** Options of {@linkcode AttachmentService}. */
export interface AttachmentServiceOptions {
  /** Address to listen on (default `127.0.0.1`; beyond loopback every client needs the pairing token). */
  host?: string;
  /** Port (default 11548; 0 picks a free one). */
  port?: number;
  /** Settings jobs read while they run (mutable: the UI changes output/token). */
  settings: JobSettings;
  /** The job store. */
  store: JobStore;
  /** Where job directories (stage files) go (default `jobs/` beside the store's database). */
  jobsDir?: string;
  /** The token for clients without an Origin (and every client beyond loopback). */
  pairingToken: string;
  /** Extra origins allowed ahead of time (`--allow-origin`), besides the plugin's own. */
  allowOrigins?: readonly string[];
  /** Largest frame accepted, bytes (default {@linkcode DEFAULTS}.maxFrameBytes). */
  maxFrameBytes?: number;
  /** WebSocket connections at once (default {@linkcode DEFAULTS}.maxConnections). */
  maxConnections?: number;
  /** How long an unknown origin's upgrade waits for the user, ms (default {@linkcode DEFAULTS}.originDecisionWaitMs). */
  originDecisionWaitMs?: number;
  /** Time source (default the system clock); tests pass a fake one. */
  clock?: Clock;
  /** Where the service and its jobs log. */
  logger: Logger;
  /** The UI's view of the service (default: a new one). */
  monitor?: Monitor;
  /** Process-wide limiter (default: a new one). */
  limiter?: RateLimiter;
}

/** The running WebSocket service. */
export class AttachmentService {
  /** The UI's view of the service and its current job. */
  readonly monitor: Monitor;
  /** The upgrade gate (origins, pairing token). */
  readonly gate: OriginGate;
  /** Jobs running in this process. */
  readonly jobs = new Set<AttachmentJob>();
  #o: AttachmentServiceOptions;
  #server?: Deno.HttpServer;
  #sockets = new Set<WebSocket>();
  #deps: JobDeps;
  #port = 0;

  /** Create (not started). */
  constructor(o: AttachmentServiceOptions) {
    this.#o = o;
    this.monitor = o.monitor ?? new Monitor();
    const host = o.host ?? DEFAULTS.host;
    this.gate = new OriginGate({
      store: o.store,
      allowOrigins: o.allowOrigins,
      pairingToken: o.pairingToken,
      requireTokenForAll: !isLoopbackBind(host),
      waitMs: o.originDecisionWaitMs ?? DEFAULTS.originDecisionWaitMs,
      clock: o.clock,
      onPending: (p) => {
        this.monitor.notice(`来自 ${p.origin} 的连接等待您允许或拒绝。`);
        o.logger.warn("attachments.origin_pending", { origin: p.origin });
      },
    });
    this.monitor.pendingOrigins = () => this.gate.pending();
    this.#deps = {
      store: o.store,
      jobsDir: o.jobsDir ?? defaultJobsDir(o.store),
      settings: () => o.settings,
      limiter: o.limiter ?? new RateLimiter({ clock: o.clock }),
      clock: o.clock ?? systemClock,
      logger: o.logger,
      onEvent: () => this.monitor.changed(),
    };
  }

  /** `ws://host:port`. */
  get url(): string {
    const host = this.#o.host ?? DEFAULTS.host;
    return `ws://${host.includes(":") ? `[${host}]` : host}:${this.#port}`;
  }

  /** Bound port. */
  get port(): number {
    return this.#port;
  }

  /** Resume stored jobs and listen. */
  start(): Promise<void> {
    this.#resumeStored();
    const app = new Hono();
    app.all("*", (c) => this.#upgrade(c.req.raw));
    return new Promise((resolve, reject) => {
      try {
        this.#server = Deno.serve({
          hostname: this.#o.host ?? DEFAULTS.host,
          port: this.#o.port ?? DEFAULTS.port,
          onListen: ({ port }) => {
            this.#port = port;
            this.monitor.running = true;
            this.monitor.url = this.url;
            this.monitor.changed();
            resolve();
          },
          onError: () => new Response("internal error", { status: 500 }),
        }, app.fetch);
      } catch (e) {
        reject(e);
      }
    });
  }

  /** Stop listening, close sockets, stop jobs (their states stay for the next start). */
  async stop(): Promise<void> {
    for (const s of this.#sockets) s.close(1001, "service stopping");
    await Promise.allSettled([...this.jobs].map((j) => j.stop()));
    await this.#server?.shutdown().catch(() => {});
    this.#server = undefined;
    this.monitor.running = false;
    this.monitor.connections = 0;
    this.monitor.changed();
  }

  /** Wait until every job of this process has ended (tests and shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.jobs].map((j) => j.finished));
  }

  #resumeStored(): void {
    for (const row of this.#o.store.unfinishedJobs()) {
      if (row.config.mode === "token") {
        const job = AttachmentJob.resume(row, this.#deps);
        this.#track(job);
      } else {
        updateJobRecord(this.#o.store, this.#deps.jobsDir, row.key, {
          status: "interrupted",
          finishedAt: this.#deps.clock.now(),
        });
      }
    }
  }

  #track(job: AttachmentJob): void {
    this.jobs.add(job);
    this.monitor.job = job;
    this.monitor.changed();
    job.finished.then(() => this.jobs.delete(job));
  }

  async #upgrade(req: Request): Promise<Response> {
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response(
        "feishu-kit 附件下载服务：请用多维表格插件 download-files 通过 WebSocket 连接。\n",
        {
          status: 426,
          headers: { "content-type": "text/plain; charset=utf-8" },
        },
      );
    }
    const maxConn = this.#o.maxConnections ?? DEFAULTS.maxConnections;
    if (this.#sockets.size >= maxConn) {
      return new Response(`too many connections (max ${maxConn})`, { status: 503 });
    }
    const verdict = await this.gate.check({
      host: req.headers.get("host"),
      origin: req.headers.get("origin"),
      token: new URL(req.url).searchParams.get("token"),
    });
    if (!verdict.ok) {
      this.#o.logger.warn("attachments.upgrade_refused", {
        origin: req.headers.get("origin"),
        status: verdict.status,
      });
      return new Response(verdict.reason, { status: verdict.status });
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    this.#serve(socket);
    return response;
  }

  #serve(socket: WebSocket): void {
    const maxFrame = this.#o.maxFrameBytes ?? DEFAULTS.maxFrameBytes;
    const send = (a: acks.Ack) => {
      if (socket.readyState !== WebSocket.OPEN) return;
      socket.send(asciiJson(a));
    };
    const conn = new PluginConnection({
      ...this.#deps,
      send,
      onNotice: (m) => this.monitor.notice(m),
      onJob: (job) => this.#track(job),
    });
    socket.onopen = () => {
      this.#sockets.add(socket);
      this.monitor.connections = this.#sockets.size;
      this.monitor.changed();
    };
    socket.onmessage = (e) => {
      const data = e.data;
      const size = typeof data === "string"
        ? byteLength(data, maxFrame)
        : (data as ArrayBuffer).byteLength ?? 0;
      if (size > maxFrame) {
        this.#o.logger.warn("attachments.frame_too_large", { bytes: size });
        send(
          acks.fatalAck(
            `frame too large (> ${maxFrame} bytes). 单帧超过 ${maxFrame} 字节，请减小「每批推送数量」。`,
          ),
        );
        socket.close(1009, "frame too large");
        return;
      }
      if (typeof data !== "string") {
        send({
          type: "feishu_attachment_ack",
          data: { status: "warning", message: "只接受文本帧", order: null },
        });
        return;
      }
      conn.receive(data);
    };
    socket.onclose = () => {
      this.#sockets.delete(socket);
      this.monitor.connections = this.#sockets.size;
      this.monitor.changed();
      conn.close();
    };
    socket.onerror = () => {};
  }
}

/** `jobs/` beside the store's database. */
export function defaultJobsDir(store: JobStore): string {
  if (store.path === ":memory:") throw new Error("an in-memory job store needs an explicit jobsDir");
  return join(dirname(store.path), "jobs");
}

/** JSON with non-ASCII escaped, as the upstream client sends it. */
export function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function byteLength(s: string, limit: number): number {
  if (s.length * 3 <= limit) return s.length;
  return new TextEncoder().encode(s).length;
}
