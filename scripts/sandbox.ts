/**
 * `deno task sandbox`: run the Feishu sandbox on loopback for dry runs.
 *
 * Flags: `--port` (default 18080), `--host` (127.0.0.1 or localhost),
 * `--seed` (default 42), `--contracts` (default 200), `--qps` (per-app limit
 * for every Open Platform endpoint, default none), `--no-rate-limits` (turn
 * the documented per-API limits off), `--im-user-token` (UNCONFIRMED: IM
 * reads accept user tokens), `--quiet`, `--help`; for the
 * meeting family `--webhook` (default `http://127.0.0.1:29090/webhook/event`,
 * where `deno task meeting --config config/meeting.sandbox.yaml` listens),
 * `--encrypt-key`, `--verification-token`, `--recording-delay` (ms) and
 * `--media-size` (bytes).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ConsoleSink, createLogger } from "../lib/log/mod.ts";
import {
  createSandbox,
  DEFAULT_CONTRACT_COUNT,
  DEFAULT_SEED,
  ENDPOINTS,
  type SandboxHostname,
  type SandboxOptions,
} from "../sandbox/mod.ts";
import { exportBannerLines } from "../sandbox/scenarios/export/mod.ts";
import { meetingBannerLines } from "../sandbox/scenarios/meeting/mod.ts";
import { baseBannerLines } from "../sandbox/base/mod.ts";

const DEFAULT_PORT = 18080;
/** Where meeting events go by default: the archiver run with `config/meeting.sandbox.yaml`. */
const DEFAULT_WEBHOOK = "http://127.0.0.1:29090/webhook/event";

const HELP = `飞书沙箱：在本机模拟飞书开放平台与合同（CLM）网页接口，供演练和测试使用。

用法：deno task sandbox [选项]

选项：
  --port <端口>       监听端口（默认 ${DEFAULT_PORT}，0 表示随机）
  --host <地址>       监听地址，仅允许 127.0.0.1 或 localhost（默认 127.0.0.1）
  --seed <整数>       数据集随机种子（默认 ${DEFAULT_SEED}）
  --contracts <数量>  生成的合同数量（默认 ${DEFAULT_CONTRACT_COUNT}）
  --qps <次数>        每个应用对所有开放平台接口合计的每秒限流（默认无此合计限流）
  --no-rate-limits    关闭按官方文档设定的各接口限流（默认开启：消息、会议、通讯录、OAuth
                      每接口 1000 次/分钟且 50 次/秒，妙记每接口 5 次/秒，同一消息接收者 5 次/秒）
  --im-user-token     （未经官方文档确认）让消息列表与消息资源下载接口也接受用户令牌；
                      默认按文档只接受 tenant_access_token，且机器人须在会话中
  --quiet             不逐条打印请求
  --help              显示本帮助

会议录制归档（事件推送等）：
  --webhook <地址>              会议事件推送地址（默认 ${DEFAULT_WEBHOOK}）
  --encrypt-key <密钥>          事件加密与签名用的 Encrypt Key（默认不加密）
  --verification-token <令牌>   事件中的 Verification Token（默认 sandbox-verification-token）
  --recording-delay <毫秒>      会议结束到录制生成的时间（默认 3000）
  --media-size <字节>           录制视频大小（默认 5242880，即 5 MB）
`;

/** Parse a non-negative integer flag or exit with a Chinese message. */
function intFlag(name: string, value: string | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`参数 --${name} 必须是非负整数，收到：${value}`);
  return n;
}

function fail(message: string): never {
  console.error(`错误：${message}\n\n${HELP}`);
  Deno.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        contracts: { type: "string" },
        qps: { type: "string" },
        webhook: { type: "string" },
        "encrypt-key": { type: "string" },
        "verification-token": { type: "string" },
        "recording-delay": { type: "string" },
        "media-size": { type: "string" },
        "im-user-token": { type: "boolean", default: false },
        "no-rate-limits": { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const host = values.host ?? "127.0.0.1";
  if (host !== "127.0.0.1" && host !== "localhost") {
    fail(`--host 只允许 127.0.0.1 或 localhost，收到：${host}`);
  }
  const port = intFlag("port", values.port, DEFAULT_PORT)!;
  if (port > 65535) fail(`--port 超出范围：${port}`);
  const qps = intFlag("qps", values.qps, undefined);
  if (qps === 0) fail("--qps 必须大于 0");
  const webhook = values.webhook ?? DEFAULT_WEBHOOK;
  if (!URL.canParse(webhook)) fail(`--webhook 不是合法的 URL：${webhook}`);

  const options: SandboxOptions = {
    seed: intFlag("seed", values.seed, DEFAULT_SEED),
    contractCount: intFlag("contracts", values.contracts, DEFAULT_CONTRACT_COUNT),
    rateLimits: qps === undefined ? {} : { global: { perSecond: qps } },
    defaultRateLimits: !values["no-rate-limits"],
    export: { imUserTokenReads: values["im-user-token"] },
    meeting: {
      webhookUrl: webhook,
      encryptKey: values["encrypt-key"] || undefined,
      verificationToken: values["verification-token"] || undefined,
      recordingReadyAfterMs: intFlag("recording-delay", values["recording-delay"], undefined),
      mediaSizeBytes: intFlag("media-size", values["media-size"], undefined),
    },
    logger: values.quiet ? undefined : createLogger({ sinks: [new ConsoleSink({ level: "info" })] }),
  };
  let sandbox;
  try {
    sandbox = createSandbox(options);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  let server;
  try {
    server = await sandbox.listen({ port, hostname: host as SandboxHostname });
  } catch (e) {
    fail(`无法监听 ${host}:${port}：${e instanceof Error ? e.message : String(e)}`);
  }
  console.log(banner(sandbox, server.url, qps));

  const stop = async () => {
    console.log("\n正在关闭飞书沙箱……");
    await server.close();
    console.log("已关闭。");
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
}

function banner(sandbox: ReturnType<typeof createSandbox>, url: string, qps: number | undefined): string {
  const { options } = sandbox.state;
  const app = options.apps[0];
  const ex = sandbox.examples(3);
  const list = (xs: string[]) => (xs.length ? xs.join("、") : "（无）");
  const width = Math.max(...ENDPOINTS.map((e) => e.path.length));
  const lines = [
    `飞书沙箱已启动：${url}`,
    "",
    "把客户端的飞书地址（open.feishu.cn 与 contract.feishu.cn）都指向上面的地址即可。",
    "",
    "应用凭证：",
    `  App ID：     ${app.appId}`,
    `  App Secret： ${app.appSecret}`,
    `CLM 网页会话 Cookie：session=${options.sessions[0] ?? "（无）"}`,
    `数据集：种子 ${options.seed}，共 ${sandbox.state.contracts.length} 份合同；` +
    `限流：${
      Object.keys(sandbox.rateLimits.table).length === 0
        ? "已关闭"
        : "按官方文档逐接口限流（--no-rate-limits 关闭）"
    }${qps === undefined ? "" : `；另加每个应用合计每秒 ${qps} 次`}`,
    "",
    "示例合同编号：",
    `  正常（有协作、有群聊）：${list(ex.ok)}`,
    `  无协作：               ${list(ex.noCooperation)}`,
    `  有协作但无群聊：       ${list(ex.noChat)}`,
    `  不存在（返回 110107）：${list(ex.notFound)}`,
    "",
    ...exportBannerLines(sandbox.state, url),
    "",
    ...meetingBannerLines(sandbox.state, url),
    "  演练：另开终端运行 deno task meeting --config config/meeting.sandbox.yaml（步骤见该文件开头）",
    "",
    ...baseBannerLines(sandbox.state, url),
    "",
    "模拟的接口：",
    ...ENDPOINTS.map((e) => `  ${e.method.padEnd(4)} ${e.path.padEnd(width)}  ${e.title}`),
    "",
    "控制接口：",
    `  GET    ${url}/__sandbox              概览（凭证、会话、示例）`,
    `  GET    ${url}/__sandbox/journal      请求记录（?endpoint= 过滤）；DELETE 清空`,
    `  GET    ${url}/__sandbox/faults       当前故障设置`,
    `  POST   ${url}/__sandbox/faults       注入故障，例如：`,
    `         {"failNext":{"endpoint":"contract_search","n":2,"kind":"error"}}`,
    `         {"rules":{"*":{"latencyMs":200,"errorRate":0.1}}}`,
    `         {"revokeTokens":true} / {"expireSessions":true} / {"loggedOutStyle":"redirect_302"}`,
    `  POST   ${url}/__sandbox/rate_limits  调整限流，例如 {"contract_search":{"perSecond":5}}`,
    `  POST   ${url}/__sandbox/reset        恢复初始状态`,
    "",
    "按 Ctrl+C 停止。",
  ];
  return lines.join("\n");
}

if (import.meta.main) await main();
