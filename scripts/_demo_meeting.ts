/** Demo part 3: the meeting archiver — red card, authorize, back-fill, NAS files, green card. */

import { parse as fromYaml, stringify as toYaml } from "yaml";
import { createLogger } from "../lib/log/logger.ts";
import { NdjsonFileSink } from "../lib/log/ndjson_sink.ts";
import { meetingFamily, type SentMessage } from "../sandbox/scenarios/meeting/mod.ts";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../sandbox/mod.ts";
import { type MeetingConfig, MeetingConfigSchema } from "../pipelines/meeting/config.ts";
import type { MeetingJob } from "../pipelines/meeting/job.ts";
import {
  AUTH_START_PATH,
  checkMeetingStartup,
  createMeetingService,
  type MeetingService,
  WEBHOOK_PATH,
} from "../pipelines/meeting/service/mod.ts";

const MEETING_MEDIA_BYTES = 2 * 1024 * 1024;
/** Longest wait for the archive after authorizing. */
const MEETING_DONE_TIMEOUT_MS = 30_000;

/** Run this part of the demo; returns the exit code. */
export async function meetingDemo(
  sandbox: ReturnType<typeof createSandbox>,
  sandboxUrl: string,
  outDir: string,
): Promise<number> {
  console.log("\n=== 演示 3：会议录制归档 ===");
  const family = meetingFamily(sandbox);
  const nasRoot = `${outDir}/nas`;
  await Deno.mkdir(nasRoot, { recursive: true });
  await Deno.mkdir(`${outDir}/logs`, { recursive: true });
  // The service's HTTP server comes first: its port goes into the config (webhook URL, OAuth redirect).
  let handler: ((req: Request) => Response | Promise<Response>) | undefined;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => handler ? handler(req) : new Response("归档服务未运行", { status: 503 }),
  );
  const serviceUrl = `http://127.0.0.1:${server.addr.port}`;
  const logPath = `${outDir}/logs/meeting-demo.ndjson`;
  let sink: NdjsonFileSink | undefined;
  let service: MeetingService | undefined;
  try {
    family.configure({
      webhookUrl: `${serviceUrl}${WEBHOOK_PATH}`,
      recordingReadyAfterMs: 1000,
      mediaSizeBytes: MEETING_MEDIA_BYTES,
    });
    const config = await meetingConfig(family, sandboxUrl, serviceUrl, outDir);
    sink = new NdjsonFileSink(logPath);
    service = await createMeetingService(config, {
      logger: createLogger({ level: "info", sinks: [sink] }),
      pollIntervalMs: 200,
    });
    const report = await checkMeetingStartup(config, { endpoints: service.clients.endpoints });
    for (const line of report.passed) console.log(`检查通过：${line}`);
    await service.start();
    handler = service.fetch;
    console.log(`归档服务已在进程内启动：${serviceUrl}（配置 ${outDir}/meeting.yaml，日志 ${logPath}）`);
    return await meetingFlow(family, service, serviceUrl, nasRoot);
  } catch (e) {
    console.log(`会议录制归档演示出错：${e instanceof Error ? e.message : e}`);
    return 1;
  } finally {
    handler = undefined;
    await service?.stop();
    family.close();
    await server.shutdown();
    sink?.close();
    console.log("归档服务已停止。");
  }
}

/**
 * The archiver's config: config/meeting.sandbox.yaml pointed at this sandbox and this service,
 * with the NAS and the state under `outDir` and a short polling ladder; written to
 * `${outDir}/meeting.yaml` for reference.
 */
async function meetingConfig(
  family: ReturnType<typeof meetingFamily>,
  sandboxUrl: string,
  serviceUrl: string,
  outDir: string,
): Promise<MeetingConfig> {
  const raw = fromYaml(await Deno.readTextFile("config/meeting.sandbox.yaml")) as Record<
    string,
    Record<string, unknown>
  >;
  const override: Record<string, Record<string, unknown>> = {
    app: {
      app_id: DEFAULT_APP_ID,
      app_secret: DEFAULT_APP_SECRET,
      verification_token: family.options.verificationToken,
      encrypt_key: family.options.encryptKey ?? "",
      base_url: sandboxUrl,
      accounts_url: sandboxUrl,
    },
    events: { mode: "webhook" },
    server: { host: "127.0.0.1", port: Number(new URL(serviceUrl).port), public_base_url: serviceUrl },
    ladder: { steps_seconds: [0.5, 0.5, 1], repeat_seconds: 1, total_seconds: 60 },
    nas: { root: `${outDir}/nas` },
    state: { db: `${outDir}/state/meeting.sqlite`, token_db: `${outDir}/state/tokens.sqlite` },
    log: { dir: `${outDir}/logs` },
  };
  for (const [k, v] of Object.entries(override)) raw[k] = { ...raw[k], ...v };
  const config = MeetingConfigSchema.parse(raw);
  await Deno.writeTextFile(`${outDir}/meeting.yaml`, toYaml(raw));
  return config;
}

async function meetingFlow(
  family: ReturnType<typeof meetingFamily>,
  service: MeetingService,
  serviceUrl: string,
  nasRoot: string,
): Promise<number> {
  const zhang = family.directory.users[0];
  const cards = (template: string) =>
    family.sentMessages.filter((m) =>
      m.msgType === "interactive" && m.user?.openId === zhang.openId && cardOf(m).template === template
    );

  const ended = await family.endMeeting({ topic: "周会", owner_user_id: zhang.userId });
  const meetingId = String(ended.meeting.id);
  console.log(
    `\n${zhang.name}（尚未授权）主持的会议「周会」已结束，沙箱把会议结束事件推送到 ${WEBHOOK_PATH}`,
  );
  const waiting = await waitFor(() => {
    const j = service.jobs.find(meetingId, zhang.userId);
    return j?.state === "waiting_authorization" ? j : undefined;
  }, 10_000);
  if (!waiting) return fail("任务没有进入「等待授权」状态", service.jobs.find(meetingId, zhang.userId));
  console.log("任务状态：等待授权（未调用任何需要用户令牌的接口）");
  const red = await waitFor(() => cards("red")[0], 10_000);
  if (!red) return fail("没有发出红色「需要授权」卡片");
  printCard("红色卡片", red);

  console.log(`\n模拟${zhang.name}打开授权页 ${AUTH_START_PATH} 并同意（沙箱授权 + /auth/callback）：`);
  const page = await authorizeInSandbox(family, serviceUrl, zhang.userId);
  for (const p of page.paragraphs) console.log(`  ${p}`);
  if (page.status !== 200) return fail(`授权回调返回 HTTP ${page.status}`);

  console.log("补传中：等待录制生成、下载并归档……");
  const t0 = Date.now();
  const done = await waitFor(() => {
    const j = service.jobs.find(meetingId, zhang.userId);
    return j?.state === "done" || j?.state === "failed" ? j : undefined;
  }, MEETING_DONE_TIMEOUT_MS);
  if (done?.state !== "done") {
    return fail(
      done ? `任务失败：${done.reason}` : `${MEETING_DONE_TIMEOUT_MS / 1000} 秒内未完成`,
      service.jobs.find(meetingId, zhang.userId),
    );
  }
  console.log(`归档完成（用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒），文件名 ${done.fileName}：`);
  for (const p of done.paths) {
    const size = (await Deno.stat(p.path).catch(() => undefined))?.size;
    if (size !== MEETING_MEDIA_BYTES) return fail(`文件 ${p.path} 缺失或大小不对（${size ?? "不存在"}）`);
    const where = p.kind === "personal" ? "个人目录" : `部门目录（${p.department}）`;
    const how = { link: "硬链接", copy: "复制", skip: "已存在" }[p.method];
    console.log(`  ${where}：${p.path}（${formatMb(size)}${p.kind === "team" ? `，${how}` : ""}）`);
  }
  if (!done.paths.some((p) => p.kind === "personal") || !done.paths.some((p) => p.kind === "team")) {
    return fail("缺少个人目录或部门目录的文件");
  }
  const green = await waitFor(() => cards("green")[0], 5_000);
  if (!green) return fail("没有发出绿色「已归档」卡片");
  const listed = done.paths.filter((p) => cardOf(green).lines.some((l) => l.includes(p.path))).length;
  console.log(
    `已向${zhang.name}发出绿色卡片「${
      cardOf(green).title
    }」（含文件名与 ${listed}/${done.paths.length} 处保存位置）`,
  );
  console.log(`NAS 根目录：${nasRoot}`);
  return 0;
}

/** Print why the meeting part did not complete; returns the exit code 1. */
function fail(why: string, job?: MeetingJob): number {
  console.log(
    `会议录制归档演示未完成：${why}${
      job ? `（任务状态 ${job.state}${job.reason ? `：${job.reason}` : ""}）` : ""
    }`,
  );
  return 1;
}

/** Poll `check` every 50 ms until it gives a value; `undefined` after `ms`. */
async function waitFor<T>(check: () => T | undefined, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface CardElement {
  tag?: string;
  text?: { content?: string };
  elements?: { content?: string }[];
  actions?: { text?: { content?: string }; url?: string }[];
}

/** Header colour, title and text lines of a card message (lark_md escapes undone). */
function cardOf(m: SentMessage): { template?: string; title?: string; lines: string[] } {
  const c = m.parsed as {
    header?: { template?: string; title?: { content?: string } };
    elements?: CardElement[];
  };
  const unescape = (s: string) =>
    s.replace(/\\(.)/g, "$1").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
  const lines: string[] = [];
  for (const e of c.elements ?? []) {
    if (e.text?.content) lines.push(...unescape(e.text.content).split("\n"));
    for (const n of e.elements ?? []) if (n.content) lines.push(n.content);
    for (const a of e.actions ?? []) lines.push(`[按钮「${a.text?.content ?? ""}」→ ${a.url ?? ""}]`);
  }
  return { template: c.header?.template, title: c.header?.title?.content, lines };
}

function printCard(label: string, m: SentMessage): void {
  const c = cardOf(m);
  console.log(`已向${m.user?.name ?? m.receiveId}发出${label}「${c.title}」：`);
  for (const l of c.lines) if (l.trim()) console.log(`  ${l.replaceAll("**", "")}`);
}

/**
 * Authorize a user as a browser would: the service's start page → its 「授权开启」 link →
 * approved by the sandbox's authorize control (same client_id, redirect_uri, scope, state,
 * PKCE challenge) → the callback URL, opened on the service. Returns the callback page's text.
 */
async function authorizeInSandbox(
  family: ReturnType<typeof meetingFamily>,
  serviceUrl: string,
  userId: string,
): Promise<{ status: number; paragraphs: string[] }> {
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  const startRes = await fetch(`${serviceUrl}${AUTH_START_PATH}`);
  // The browser-binding cookie goes back with the callback, as a browser would send it.
  const cookie = (startRes.headers.get("set-cookie") ?? "").split(";")[0];
  const start = await startRes.text();
  const href = /<a class="btn" href="([^"]+)">授权开启<\/a>/.exec(start)?.[1];
  if (!href) return { status: 0, paragraphs: ["授权页上没有「授权开启」链接"] };
  const approved = family.approveAuthorizeUrl(decode(href), userId);
  const cb = await fetch(approved.callback_url, { headers: { cookie } });
  const html = await cb.text();
  return { status: cb.status, paragraphs: [...html.matchAll(/<p>([^<]*)<\/p>/g)].map((m) => decode(m[1])) };
}

function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
