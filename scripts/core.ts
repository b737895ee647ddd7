/**
 * 飞书服务核心（`deno task core`）。
 *
 * Runs the core service: card callbacks through a queue (`POST /callback/card`),
 * user authorization (`GET /auth/callback`), `/healthz`, `/metrics` and the
 * admin API, behind the slow-header guard. Settings come from environment
 * variables (see `--help`). Ctrl+C / SIGTERM stop it; queued callbacks stay
 * in the queue and are handled after the next start.
 *
 * @module
 */
import { reportError } from "../lib/cli/report_error.ts";
import { CardRouter } from "../lib/callback/card_router.ts";
import { serveGuarded } from "../lib/http/serve_guarded.ts";
import { ConsoleSink } from "../lib/log/console_sink.ts";
import { createLogger } from "../lib/log/logger.ts";
import { NdjsonFileSink } from "../lib/log/ndjson_sink.ts";
import { registerApprovalHandlers } from "../pipelines/core/approval_handlers.ts";
import { loadCoreConfig } from "../pipelines/core/config.ts";
import { startCore } from "../pipelines/core/start_core.ts";

const HELP = `飞书服务核心

接收飞书卡片回调（校验签名、入队、3 秒内应答），由队列中的处理器更新卡片；
提供用户授权回调、健康检查、指标与应用管理接口。

用法：
  deno task core

环境变量：
  FEISHU_APP_ID / FEISHU_APP_SECRET   应用凭证（必填）
  FEISHU_ENCRYPT_KEY                  回调加密 Encrypt Key（校验签名；监听非本机地址时必填）
  FEISHU_VERIFICATION_TOKEN           回调 Verification Token
  FEISHU_QUEUE_URL                    队列：sqlite://<状态目录>/core.db（默认）| postgres://… | amqp://…
  FEISHU_CORE_STATE_DIR               状态目录（默认 .state）
  FEISHU_CORE_TOKENS_STORE            令牌库：sqlite://<状态目录>/tokens.db（默认）| postgres://…
  FEISHU_CORE_APPS_STORE              应用登记库（默认 <状态目录>/apps.sqlite，也可 postgres://…）
  FEISHU_CORE_RETRY_BASE_MS / FEISHU_CORE_RETRIES  重试：首次等待毫秒数（默认 1000，之后翻倍）/ 次数（默认 3）
  FEISHU_CORE_HOST / FEISHU_CORE_PORT 监听地址（默认 127.0.0.1:8787）
  FEISHU_CORE_PUBLIC_URL              飞书与浏览器访问本服务的地址（用户授权回调地址的前缀）
  FEISHU_CORE_ADMIN_TOKEN             管理接口 /admin/apps、/admin/user-auth 的 Bearer 令牌（不设置则关闭管理接口）
  FEISHU_CORE_LONG_CONNECTION=1       同时通过长连接接收卡片回调（无需公网地址）
  FEISHU_LEDGER_URL                   多台机器共用的去重账本（postgres://…；队列在 PostgreSQL 时默认同库）
  FEISHU_CORE_WHEN_QUEUE_DOWN         队列不可用时：refuse（默认，返回 503）| inline（直接处理）
  FEISHU_BASE_URL / FEISHU_ACCOUNTS_URL  开放平台地址（默认飞书；Lark 或本机沙箱可改）
  FEISHU_KIT_KEY                      令牌加密密钥（不设置则使用 .state/secret.key）

接口：
  POST /callback/card   卡片回调地址（在开发者后台「事件与回调 → 回调配置」中填写）
  GET  /auth/callback   用户授权回调（在「安全设置 → 重定向 URL」中添加）
  GET  /healthz         健康检查；GET /metrics 请求与延迟指标（?format=prometheus）
  POST /admin/user-auth {app_id, user_id, via: card|link} 发起用户授权；GET /admin/user-auth/<id> 查询状态
`;

if (import.meta.main) {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(HELP);
    Deno.exit(0);
  }
  try {
    const config = loadCoreConfig();
    await Deno.mkdir(config.stateDir, { recursive: true, mode: 0o700 });
    const logger = createLogger({
      sinks: [new ConsoleSink({ level: "warn" }), new NdjsonFileSink(`${config.stateDir}/core.ndjson`)],
    });
    const core = await startCore(config, { logger, router: registerApprovalHandlers(new CardRouter()) });
    const stop = new AbortController();
    for (const sig of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(sig, () => stop.abort());
    // Not Deno.serve directly: the guarded front bounds header time and open connections.
    const server = serveGuarded(
      { hostname: config.host, port: config.port, signal: stop.signal },
      core.service.fetch,
    );
    console.log(`飞书服务核心已启动：http://${config.host}:${server.addr.port}（卡片回调 /callback/card）`);
    await server.finished;
    await core.close();
    console.log("已停止。");
  } catch (e) {
    reportError(e);
    Deno.exit(e instanceof Error && e.name === "ConfigError" ? 2 : 1);
  }
}
