/**
 * 多维表格附件下载服务（`deno task attachments`）。
 *
 * The local program the Base sidebar plugin "download-files" talks to in its
 * 「本地客户端下载」 modes: a WebSocket service on 127.0.0.1:11548 (flags as
 * the upstream CLI), with `--ui` a desktop-style page on loopback. Ctrl+C
 * stops it; token-mode jobs continue at the next start. `--help` lists flags.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { reportError } from "../lib/cli/report_error.ts";
import { parseCli } from "../lib/cli/parse_cli.ts";
import { ConsoleSink } from "../lib/log/console_sink.ts";
import { createLogger, type LogSink } from "../lib/log/logger.ts";
import { NdjsonFileSink } from "../lib/log/ndjson_sink.ts";
import { maskValue } from "../lib/log/mask.ts";
import {
  AttachmentsApp,
  DEFAULTS,
  isLoopbackBind,
  JobStore,
  loadAttachmentsConfig,
  openFolder,
  PLUGIN_ORIGINS,
  startUiServer,
  userConfigDir,
  UserSettingsFile,
} from "../pipelines/attachments/mod.ts";

const HELP = `多维表格附件下载服务（配合多维表格插件 download-files 的「本地客户端下载」）

在多维表格边栏插件中选择记录并点「下载」后，插件把附件信息通过 WebSocket 推送到本程序，
由本程序下载、命名、按文件夹归档，并可打包为 ZIP。支持「本地客户端下载」与「授权码下载」两种模式。

用法：
  deno task attachments [选项]
  deno task attachments --ui        同时打开桌面界面（浏览器中）

选项：
  --host <地址>                   监听地址（默认 127.0.0.1；非本机地址时所有连接都须带配对令牌）
  --port <端口>                   监听端口（默认 11548，与插件默认一致）
  --output <目录>                 保存目录（默认 ./downloads，相对当前目录）
  --log-level <级别>              日志级别 debug|info|warn|error（默认 info）
  --download-concurrency <n>      每个任务同时下载的文件数（默认 5）
  --http-connect-timeout <秒>     连接超时（默认 30）
  --download-read-timeout <秒>    读取超时：多久收不到数据算中断（默认 3600，0 表示不限）
  --personal-base-token <令牌>    授权码（Personal Base Token，pt- 开头）；也可用环境变量
                                  PERSONAL_BASE_TOKEN 或当前目录的 .env 文件提供
  --allow-origin <来源>           预先允许的网页来源（可重复），如 https://ext.baseopendev.com
  --pairing-token <令牌>          配对令牌（没有 Origin 的客户端在地址后加 ?token=…）；也可用
                                  环境变量 ATTACHMENTS_PAIRING_TOKEN；不填则每次启动随机生成
  --base-api-url <地址>           授权码下载的接口地址（默认 https://base-api.feishu.cn；
                                  Lark 用 https://base-api.larksuite.com；沙箱用 http://127.0.0.1:18080）
  --download-host <主机>          「本地客户端下载」的链接还可指向的主机（可重复；默认只允许飞书/Lark
                                  的下载主机与本机）；* 表示不限制（下载在受限的 Worker 中进行）
  --state-dir <目录>              任务记录、各任务的阶段文件（jobs/）与设置的保存目录
                                  （默认用户配置目录下 feishu-kit/attachments）
  -c, --config <文件>             YAML 配置文件（键名同上，用下划线，如 download_concurrency）
  --ui                            打开桌面界面（本机浏览器）
  --ui-port <端口>                界面端口（默认 11549）
  --no-open                       只启动界面服务，不自动打开浏览器
  -h, --help                      显示本帮助

退出码：0 正常停止；1 配置或启动错误；2 用法错误。`;

const FLAGS = {
  host: { type: "string" },
  port: { type: "string" },
  output: { type: "string" },
  "log-level": { type: "string" },
  "download-concurrency": { type: "string" },
  "http-connect-timeout": { type: "string" },
  "download-read-timeout": { type: "string" },
  "personal-base-token": { type: "string" },
  "allow-origin": { type: "string", multiple: true },
  "pairing-token": { type: "string" },
  "base-api-url": { type: "string" },
  "download-host": { type: "string", multiple: true },
  "state-dir": { type: "string" },
  config: { type: "string", short: "c" },
  ui: { type: "boolean" },
  "ui-port": { type: "string" },
  "no-open": { type: "boolean" },
} as const;

/** Run until `signal` aborts or SIGINT/SIGTERM; returns the exit code. */
export async function main(args: string[], signal?: AbortSignal): Promise<number> {
  const parsed = parseCli(args, FLAGS, HELP, false);
  if (!parsed.ok) return parsed.exitCode;
  const v = parsed.values;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  signal?.addEventListener("abort", onSignal, { once: true });
  let app: AttachmentsApp | undefined;
  let store: JobStore | undefined;
  let ui: { close(): Promise<void> } | undefined;
  let fileSink: NdjsonFileSink | undefined;
  try {
    const { config, warnings } = await loadAttachmentsConfig({
      file: v.config,
      overrides: {
        host: v.host,
        port: v.port,
        output: v.output,
        log_level: v["log-level"],
        download_concurrency: v["download-concurrency"],
        http_connect_timeout: v["http-connect-timeout"],
        download_read_timeout: v["download-read-timeout"],
        personal_base_token: v["personal-base-token"],
        pairing_token: v["pairing-token"],
        allow_origins: v["allow-origin"],
        base_api_url: v["base-api-url"],
        download_hosts: v["download-host"],
        state_dir: v["state-dir"],
        ui_port: v["ui-port"],
      },
    });
    for (const w of warnings) console.error(`警告：${w}`);
    const stateDir = resolve(config.state_dir ?? userConfigDir());
    await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
    const userSettings = new UserSettingsFile(stateDir);
    const saved = v.ui ? await userSettings.load() : {};
    store = new JobStore(join(stateDir, "attachments.sqlite"));
    await Deno.mkdir(join(stateDir, "logs"), { recursive: true, mode: 0o700 });
    const logPath = join(
      stateDir,
      "logs",
      `attachments-${new Date().toISOString().replace(/[:.]/g, "-")}.ndjson`,
    );
    fileSink = new NdjsonFileSink(logPath);
    const sinks: LogSink[] = [new ConsoleSink({ level: config.log_level }), fileSink];
    const uiLog: LogSink = { write: (r) => app?.monitor.log(`${r.ts} ${r.level} ${r.event}`) };
    const logger = createLogger({ level: config.log_level, sinks: [...sinks, uiLog] });
    const pairingToken = config.pairing_token ?? crypto.randomUUID().replaceAll("-", "");
    app = new AttachmentsApp({
      host: v.host ?? saved.host ?? config.host,
      port: v.port ? config.port : saved.port ?? config.port,
      settings: {
        output: resolve(v.output ? config.output : saved.output ?? config.output),
        downloadConcurrency: config.download_concurrency,
        connectTimeoutMs: config.http_connect_timeout * 1000,
        readTimeoutMs: config.download_read_timeout * 1000,
        personalBaseToken: config.personal_base_token ?? saved.personalBaseToken,
        baseApiUrl: config.base_api_url,
        maxFilesPerJob: config.max_files_per_job,
        downloadHosts: [...DEFAULTS.downloadHosts, ...config.download_hosts],
      },
      store,
      pairingToken,
      allowOrigins: config.allow_origins,
      maxFrameBytes: config.max_frame_bytes,
      maxConnections: config.max_connections,
      logger,
      userSettings: v.ui ? userSettings : undefined,
      language: saved.language,
      fileDisplayLimit: saved.fileDisplayLimit,
    });
    try {
      await app.start();
    } catch (e) {
      if (e instanceof Deno.errors.AddrInUse) {
        console.error(
          `错误：端口 ${app.port} 已被占用：可能已有一个下载服务在运行；请先停止它，或用 --port 换一个端口。`,
        );
        return 1;
      }
      throw e;
    }
    console.error(`附件下载服务已启动：${app.service!.url}（插件「本地客户端下载」的服务地址填这个）`);
    console.error(`  保存目录：${app.settings.output}`);
    console.error(
      `  授权码：${
        app.settings.personalBaseToken
          ? maskValue(app.settings.personalBaseToken)
          : "未设置（仅「授权码下载」需要）"
      }`,
    );
    console.error(`  允许的来源：${[...PLUGIN_ORIGINS, ...config.allow_origins].join("、")}`);
    console.error(
      `  配对令牌：${pairingToken}（没有 Origin 的客户端用 ${app.service!.url}/?token=${pairingToken}）`,
    );
    if (!isLoopbackBind(app.host)) {
      console.error(
        `警告：服务监听在 ${app.host}（不只是本机），局域网内的设备也能连接；每个连接都必须带配对令牌。`,
      );
    }
    console.error(
      `  任务记录：${join(stateDir, "attachments.sqlite")}（各任务的阶段文件在 ${join(stateDir, "jobs")}）`,
    );
    console.error(`  日志文件：${logPath}`);
    if (v.ui) {
      const server = await startUiServer({ app, port: config.ui_port });
      ui = server;
      console.error(`桌面界面：${server.url}`);
      if (!v["no-open"]) {
        await openFolder(server.url).catch(() =>
          console.error("（未能自动打开浏览器，请手动打开上面的地址）")
        );
      }
    }
    console.error("按 Ctrl+C 停止。");
    await new Promise<void>((r) => stop.signal.addEventListener("abort", () => r(), { once: true }));
    console.error("\n正在停止……未完成的授权码任务会在下次启动时继续。");
    return 0;
  } catch (e) {
    reportError(e);
    return 1;
  } finally {
    await ui?.close().catch(() => {});
    await app?.stop().catch(() => {});
    app?.monitor.close();
    store?.close();
    fileSink?.close();
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
