/**
 * 会议录制自动归档服务（`deno task meeting`）。
 *
 * Loads the config, checks the app credentials and the NAS root, then runs
 * the archiver: the HTTP server (webhook, OAuth pages, status) on
 * `server.host:server.port` and, with `events.mode: long_connection`, the
 * long connection. Ctrl+C (SIGINT) or SIGTERM stops it gracefully: jobs keep
 * their state and the next start resumes them. `--help` lists the flags.
 *
 * @module
 */
import { keyCreatedNotice, loadSecretBox } from "../lib/crypto/key_source.ts";
import { configSummary } from "../lib/cli/config_summary.ts";
import { reportError } from "../lib/cli/report_error.ts";
import { parseCli } from "../lib/cli/parse_cli.ts";
import { useUtf8Console } from "../lib/cli/utf8_console.ts";
import { LarkError } from "../lib/errors/lark_error.ts";
import { defaultConfigFile } from "../lib/fs/user_dirs.ts";
import { ConsoleSink } from "../lib/log/console_sink.ts";
import { createLogger } from "../lib/log/logger.ts";
import { serveGuarded } from "../lib/http/serve_guarded.ts";
import { NdjsonFileSink } from "../lib/log/ndjson_sink.ts";
import { loadMeetingConfig, meetingKeyFile } from "../pipelines/meeting/config.ts";
import {
  AUTH_CALLBACK_PATH,
  AUTH_START_PATH,
  checkMeetingStartup,
  createMeetingService,
  exposureWarning,
  type MeetingService,
  WEBHOOK_PATH,
} from "../pipelines/meeting/service/mod.ts";

const HELP = `会议录制自动归档服务

会议结束并生成云录制后，用会议所有者本人的授权下载妙记视频，按「姓名_会议主题_时间.mp4」
命名后归档到 NAS 的个人目录与部门共享目录，并通过飞书消息卡片通知本人。

用法：
  deno task meeting [选项]

选项：
  -c, --config <文件>  配置文件（默认 config/meeting.yaml；示例见 config/meeting.example.yaml，
                       本地演练用 config/meeting.sandbox.yaml）
  -h, --help           显示本帮助

密钥可用环境变量提供（优先于配置文件）：APP_ID、APP_SECRET、APP_VERIFICATION_TOKEN、
APP_ENCRYPT_KEY、DOWNLOAD_PATH（也认 FEISHU_ 前缀的同名变量）；管理令牌 FEISHU_MEETING_ADMIN_TOKEN；
加密保存令牌所用的密钥 FEISHU_KIT_KEY（不设时使用 state.db 同目录的 secret.key）。
webhook 模式必须配置 Verification Token；服务可从本机以外访问时，状态页与操作需要管理令牌（首次启动生成并只显示一次）。
按 Ctrl+C 停止：未完成的任务会保留进度，下次启动自动继续。
退出码：0 正常停止；1 配置错误或启动检查未通过；2 用法错误。`;

/** Run the service until `signal` aborts or SIGINT/SIGTERM; returns the process exit code. */
export async function main(args: string[], signal?: AbortSignal): Promise<number> {
  const parsed = parseCli(args, { config: { type: "string", short: "c" } }, HELP, false);
  if (!parsed.ok) return parsed.exitCode;
  const { values } = parsed;
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) return;
    console.error("\n收到停止信号：正在停止，进行中的任务会保留进度，下次启动自动继续……");
    stop.abort(new DOMException("interrupted", "AbortError"));
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  signal?.addEventListener("abort", onSignal, { once: true });
  let fileSink: NdjsonFileSink | undefined;
  let service: MeetingService | undefined;
  try {
    const { config, warnings, file } = await loadMeetingConfig({
      file: values.config ?? defaultConfigFile("meeting"),
    });
    for (const w of warnings) console.error(`警告：${w}`);
    console.error(`配置（${file}）：`);
    for (const line of configSummary(config)) console.error(line);

    await Deno.mkdir(config.log.dir, { recursive: true });
    const logPath = `${config.log.dir}/meeting-${new Date().toISOString().replace(/[:.]/g, "-")}.ndjson`;
    fileSink = new NdjsonFileSink(logPath);
    const logger = createLogger({
      level: config.log.level,
      sinks: [fileSink, new ConsoleSink({ level: "warn" })],
    });

    const exposed = exposureWarning(config);
    if (exposed) console.error(`警告：${exposed}`);
    const box = await loadSecretBox({
      keyFile: meetingKeyFile(config),
      onCreated: (path) => console.error(keyCreatedNotice(path)),
    });
    service = await createMeetingService(config, {
      logger,
      box,
      // Shown once, here only (never logged); it is kept encrypted next to state.db.
      onAdminTokenCreated: (token) =>
        console.error(
          `已生成管理令牌（只显示这一次，请妥善保存）：${token}\n` +
            "  浏览器打开状态页时输入它登录；脚本用请求头 Authorization: Bearer <管理令牌>。",
        ),
    });
    const report = await checkMeetingStartup(config, {
      endpoints: service.clients.endpoints,
      signal: stop.signal,
    });
    for (const line of report.passed) console.error(`检查通过：${line}`);
    for (const w of report.warnings) console.error(`警告：${w}`);

    if (config.events.mode === "long_connection") console.error("正在建立飞书长连接……");
    await service.start(stop.signal);
    let server: ReturnType<typeof serveGuarded>;
    try {
      // Not Deno.serve directly: the guarded front bounds header time and open connections.
      server = serveGuarded({
        hostname: config.server.host,
        port: config.server.port,
        signal: stop.signal,
        onListen: () => {},
      }, service.fetch);
    } catch (e) {
      if (e instanceof Deno.errors.AddrInUse) {
        console.error(
          `错误：端口 ${config.server.port} 已被占用：请停止占用该端口的程序（可能是另一个归档服务），` +
            "或修改配置 server.port。",
        );
        return 1;
      }
      throw e;
    }
    const base = config.server.public_base_url.replace(/\/+$/, "");
    console.error(`会议录制归档服务已启动：http://${config.server.host}:${config.server.port}`);
    console.error(
      `  用户授权页：${base}${AUTH_START_PATH}（开发者后台「重定向 URL」须登记 ${base}${AUTH_CALLBACK_PATH}）`,
    );
    console.error(`  状态页：    ${base}/status    健康检查：${base}/healthz`);
    if (service.policy.adminToken) {
      console.error("  状态页与操作需要管理令牌（Authorization: Bearer，或在浏览器中登录）。");
    }
    console.error(
      config.events.mode === "long_connection"
        ? "  事件接收：  长连接已建立（无需公网地址）"
        : `  事件接收：  ${base}${WEBHOOK_PATH}（在开发者后台「事件与回调」登记此地址）`,
    );
    console.error(`  日志文件：  ${logPath}`);
    console.error("按 Ctrl+C 停止。");
    await server.finished;
    await service.stop();
    console.error("已停止。未完成的任务已保存，下次启动会自动继续。");
    return 0;
  } catch (e) {
    if (stop.signal.aborted && !(e instanceof LarkError)) {
      console.error("已停止。");
      return 0;
    }
    reportError(e);
    return 1;
  } finally {
    await service?.stop().catch(() => {});
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    fileSink?.close();
  }
}

if (import.meta.main) {
  await useUtf8Console(); // Chinese in Windows console windows
  Deno.exit(await main(Deno.args));
}
