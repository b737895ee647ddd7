/**
 * End-to-end harness of the meeting archiver: an in-process Feishu sandbox
 * and the in-process service, both on 127.0.0.1:0, a temp folder for the NAS
 * root and the state databases, a short polling ladder, small media.
 *
 * The service's HTTP server outlives the service itself, so a test can stop
 * the service and start a new one on the same state (a restart) without the
 * port — hence the webhook URL and the OAuth redirect — changing.
 *
 * @module
 */
import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { createLogger, MemorySink } from "../../lib/log/mod.ts";
import {
  type MeetingFamily,
  meetingFamily,
  type MeetingSandboxOptions,
} from "../../sandbox/scenarios/meeting/mod.ts";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET, type Sandbox } from "../../sandbox/mod.ts";
import { type MeetingConfig, MeetingConfigSchema } from "../../pipelines/meeting/config.ts";
import type { MeetingJob } from "../../pipelines/meeting/job.ts";
import {
  createMeetingService,
  type MeetingService,
  type MeetingServiceOptions,
} from "../../pipelines/meeting/service/mod.ts";

/** Size of every recording in these tests. */
export const MEDIA_SIZE = 256 * 1024;

/** Options of {@linkcode withHarness}. */
export interface HarnessOptions {
  /** Sandbox meeting options (merged over the harness defaults). */
  meeting?: MeetingSandboxOptions;
  /** Raw config changes (deep-merged over the harness config before validation). */
  config?: Record<string, Record<string, unknown>>;
  /** Service options (merged over the harness defaults). */
  service?: MeetingServiceOptions;
}

/** What a test body gets. */
export interface Harness {
  /** The sandbox. */
  sandbox: Sandbox;
  /** Its meeting family (knobs, deliveries, sent messages). */
  family: MeetingFamily;
  /** Sandbox base URL. */
  sandboxUrl: string;
  /** Service base URL (stable across restarts). */
  serviceUrl: string;
  /** Temp folder of this test. */
  dir: string;
  /** NAS root. */
  nasRoot: string;
  /** The validated config the service runs with. */
  config: MeetingConfig;
  /** The current service (replaced by {@linkcode Harness.restart}). */
  service: MeetingService;
  /** Every log record of every service instance. */
  logs: MemorySink;
  /** Stop the current service (jobs keep their state). */
  stopService(): Promise<void>;
  /** Start a new service on the same state. */
  startService(): Promise<void>;
}

/** Poll `check` every 20 ms until it is truthy; fails with `what` after `ms`. */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  ms = 15_000,
): Promise<NonNullable<T>> {
  return await waitFor(check, { timeoutMs: ms, intervalMs: 20, what });
}

/** The job of a meeting (there is at most one per meeting and owner here). */
export function jobOf(h: Harness, meetingId: string): MeetingJob | undefined {
  return h.service.jobs.listRecent(1000).find((j) => j.meetingId === meetingId);
}

/** Wait until the meeting's job is in `state`. */
export function jobInState(h: Harness, meetingId: string, state: MeetingJob["state"], ms?: number) {
  return until(
    () => {
      const j = jobOf(h, meetingId);
      return j?.state === state ? j : undefined;
    },
    `job of meeting ${meetingId} in state ${state} (now ${jobOf(h, meetingId)?.state})`,
    ms,
  );
}

/** Cards the sandbox recorded for a user (any id kind), oldest first, with their header colour and title. */
export function cardsTo(h: Harness, userId: string) {
  const user = h.family.directory.user(userId);
  assert.ok(user, `unknown sandbox user ${userId}`);
  return h.family.sentMessages
    .filter((m) => m.msgType === "interactive" && m.user?.openId === user.openId)
    .map((m) => {
      const card = m.parsed as { header?: { template: string; title: { content: string } } };
      return {
        template: card.header?.template,
        title: card.header?.title.content,
        message: m,
        json: m.content,
      };
    });
}

/**
 * The browser half of an authorization: open `/auth/start`, take the
 * 「授权开启」 link and approve it with the sandbox's authorize control (same
 * client_id, redirect_uri, scope, state and PKCE challenge). Returns the
 * callback URL Feishu would redirect to and the browser's binding cookie.
 */
export async function approveAuthorization(
  h: Harness,
  userId: string,
): Promise<{ callbackUrl: string; cookie: string; query: URLSearchParams }> {
  const start = await fetch(`${h.serviceUrl}/auth/start`);
  const startHtml = await start.text();
  assert.equal(start.status, 200);
  const cookie = browserCookie(start);
  const href = /<a class="btn" href="([^"]+)">授权开启<\/a>/.exec(startHtml)?.[1];
  assert.ok(href, "the start page has a 授权开启 link");
  const url = href.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  const q = new URL(url).searchParams;
  assert.ok(q.get("scope")?.split(" ").includes("offline_access"));
  const approved = h.family.approveAuthorizeUrl(url, userId);
  return { callbackUrl: approved.callback_url, cookie, query: q };
}

/**
 * Authorize `userId` the way a browser would ({@linkcode approveAuthorization}),
 * then follow the callback URL to the service with the browser's cookie.
 * Returns the callback page.
 */
export async function authorize(h: Harness, userId: string): Promise<{ status: number; html: string }> {
  const { callbackUrl, cookie } = await approveAuthorization(h, userId);
  const cb = await fetch(callbackUrl, { headers: { cookie } });
  return { status: cb.status, html: await cb.text() };
}

/** The `name=value` of the browser-binding cookie `/auth/start` set (what a browser sends back). */
export function browserCookie(start: Response): string {
  const set = start.headers.get("set-cookie") ?? "";
  const pair = set.split(";")[0];
  assert.match(pair, /^fk_oauth=[\w-]{20,}$/, "/auth/start binds the state to the browser with a cookie");
  return pair;
}

/** Files (not folders) under `dir`, relative, sorted. */
export async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...await filesUnder(`${dir}/${e.name}`, rel));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * Run `fn` with a fresh sandbox and service; everything is stopped and the
 * temp folder removed afterwards. The service is started before `fn` runs.
 */
export async function withHarness(options: HarnessOptions, fn: (h: Harness) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "meeting-e2e-" });
  const nasRoot = `${dir}/nas`;
  await Deno.mkdir(nasRoot);
  let handler: ((req: Request) => Response | Promise<Response>) | undefined;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => handler ? handler(req) : new Response("service not running", { status: 503 }),
  );
  const serviceUrl = `http://127.0.0.1:${server.addr.port}`;
  const sandbox = createSandbox({
    meeting: {
      webhookUrl: `${serviceUrl}/webhook/event`,
      recordingReadyAfterMs: 300,
      mediaSizeBytes: MEDIA_SIZE,
      redeliveryScheduleMs: [],
      ...options.meeting,
    },
  });
  const sandboxServer = await sandbox.listen({ port: 0 });
  const family = meetingFamily(sandbox);
  const raw: Record<string, Record<string, unknown>> = {
    app: {
      app_id: DEFAULT_APP_ID,
      app_secret: DEFAULT_APP_SECRET,
      verification_token: family.options.verificationToken,
      encrypt_key: family.options.encryptKey ?? "",
      base_url: sandboxServer.url,
      accounts_url: sandboxServer.url,
    },
    events: { mode: "webhook" },
    server: { host: "127.0.0.1", port: server.addr.port, public_base_url: serviceUrl },
    ladder: { steps_seconds: [0.1, 0.1, 0.2], repeat_seconds: 0.2, total_seconds: 20 },
    nas: { root: nasRoot, reserve_mb: 0 },
    state: { db: `${dir}/state/meeting.sqlite`, token_db: `${dir}/state/tokens.sqlite` },
    log: { dir: `${dir}/logs` },
  };
  for (const [k, v] of Object.entries(options.config ?? {})) raw[k] = { ...raw[k], ...v };
  const config = MeetingConfigSchema.parse(raw);
  const logs = new MemorySink();
  const logger = createLogger({ level: "debug", sinks: [logs] });
  const h = {
    sandbox,
    family,
    sandboxUrl: sandboxServer.url,
    serviceUrl,
    dir,
    nasRoot,
    config,
    logs,
  } as Harness;
  h.startService = async () => {
    const service = await createMeetingService(config, {
      logger,
      pollIntervalMs: 50,
      keepAliveIntervalMs: 3_600_000,
      ...options.service,
    });
    h.service = service;
    await service.start();
    handler = service.fetch;
  };
  h.stopService = async () => {
    handler = undefined;
    await h.service.stop();
  };
  try {
    await h.startService();
    await fn(h);
  } finally {
    handler = undefined;
    await h.service?.stop();
    family.close();
    await sandboxServer.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Fail when a log record holds the app secret or a user/tenant token. */
export function assertNoSecretsLogged(h: Harness): void {
  const text = JSON.stringify(h.logs.records);
  assert.ok(!text.includes(DEFAULT_APP_SECRET), "the app secret is never logged");
  for (const t of h.family.userTokens.tokens) {
    assert.ok(!text.includes(t.value), "user access/refresh tokens are never logged");
  }
  assert.ok(!/"[^"]*sig=[0-9a-f]{16,}/.test(text), "pre-signed media URLs are never logged");
}
