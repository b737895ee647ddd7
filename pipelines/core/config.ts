import { ConfigError } from "../../lib/errors/config_error.ts";
import { parseStoreSetting } from "../../lib/token/open_token_store.ts";

/** Settings of the core service, from environment variables. */
export interface CoreConfig {
  /** Listen address (`FEISHU_CORE_HOST`, default 127.0.0.1). */
  host: string;
  /** Port (`FEISHU_CORE_PORT`, default 8787). */
  port: number;
  /** Where browsers and Feishu reach the service (`FEISHU_CORE_PUBLIC_URL`, default http://host:port). */
  publicUrl: string;
  /** Open Platform base (`FEISHU_BASE_URL`, default https://open.feishu.cn). */
  baseUrl: string;
  /** Accounts host of the authorize page (`FEISHU_ACCOUNTS_URL`, default https://accounts.feishu.cn). */
  accountsUrl: string;
  /** The app (`FEISHU_APP_ID`, `FEISHU_APP_SECRET`). */
  app: { appId: string; appSecret: string };
  /** Callback verification (`FEISHU_ENCRYPT_KEY`, `FEISHU_VERIFICATION_TOKEN`). */
  encryptKey?: string;
  /** Verification Token. */
  verificationToken?: string;
  /** Queue URL (`FEISHU_QUEUE_URL`: sqlite://…, postgres://…, amqp://…; default `sqlite://<stateDir>/core.db`). */
  queueUrl: string;
  /**
   * Handled-callback ledger (`FEISHU_LEDGER_URL`): `postgres://…` for workers on
   * several machines. Default: the queue's PostgreSQL when the queue is on
   * PostgreSQL, else SQLite in the state folder.
   */
  ledgerUrl?: string;
  /** App registry (`FEISHU_CORE_APPS_STORE`: `sqlite://…` or `postgres://…`; default `<stateDir>/apps.sqlite`). */
  appsStore: string;
  /**
   * Token store (`FEISHU_CORE_TOKENS_STORE`: `sqlite://…` or `postgres://…`, opened with
   * `openTokenStore`; default `sqlite://<stateDir>/tokens.db`). PostgreSQL shares tokens (and
   * their refresh) between core instances on several machines.
   */
  tokensStore: string;
  /**
   * Retry schedule of calls to Feishu: first wait (`FEISHU_CORE_RETRY_BASE_MS`, default 1000)
   * doubling on each of `retries` retries (`FEISHU_CORE_RETRIES`, default 3): 1 s, 2 s, 4 s.
   */
  retry: { baseMs: number; retries: number };
  /** State folder (`FEISHU_CORE_STATE_DIR`, default .state). */
  stateDir: string;
  /** Admin API bearer token (`FEISHU_CORE_ADMIN_TOKEN`; the admin API is off without it). */
  adminToken?: string;
  /** Also receive card callbacks over the long connection (`FEISHU_CORE_LONG_CONNECTION=1`). */
  longConnection: boolean;
  /** When the queue is down (`FEISHU_CORE_WHEN_QUEUE_DOWN`: refuse | inline; default refuse). */
  whenQueueDown: "refuse" | "inline";
}

/**
 * Read the core's settings from the environment. Problems are one
 * {@linkcode ConfigError} listing every bad variable in Chinese.
 */
export function loadCoreConfig(
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): CoreConfig {
  const problems: string[] = [];
  const get = (name: string) => env(name)?.trim() || undefined;
  const host = get("FEISHU_CORE_HOST") ?? "127.0.0.1";
  const portText = get("FEISHU_CORE_PORT") ?? "8787";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`FEISHU_CORE_PORT 不是有效端口：${portText}`);
  }
  const appId = get("FEISHU_APP_ID");
  const appSecret = get("FEISHU_APP_SECRET");
  if (!appId) problems.push("缺少 FEISHU_APP_ID（开发者后台「凭证与基础信息」中的 App ID）");
  else if (!/^cli_[A-Za-z0-9]{4,40}$/.test(appId)) problems.push(`FEISHU_APP_ID 格式不正确：${appId}`);
  if (!appSecret) problems.push("缺少 FEISHU_APP_SECRET（开发者后台「凭证与基础信息」中的 App Secret）");
  const urls: Record<string, string> = {};
  for (
    const [name, fallback] of [
      ["FEISHU_BASE_URL", "https://open.feishu.cn"],
      ["FEISHU_ACCOUNTS_URL", "https://accounts.feishu.cn"],
    ] as const
  ) {
    const v = get(name) ?? fallback;
    try {
      const u = new URL(v);
      if (u.protocol !== "https:" && !["127.0.0.1", "localhost"].includes(u.hostname)) {
        problems.push(`${name} 必须是 https 地址（本机沙箱除外）：${v}`);
      }
      urls[name] = v.replace(/\/+$/, "");
    } catch {
      problems.push(`${name} 不是有效地址：${v}`);
    }
  }
  const stateDir = get("FEISHU_CORE_STATE_DIR") ?? ".state";
  const queueUrl = get("FEISHU_QUEUE_URL") ?? `sqlite://${stateDir}/core.db`;
  if (!/^(sqlite|postgres|postgresql|amqp|amqps):\/\//.test(queueUrl)) {
    problems.push(`FEISHU_QUEUE_URL 只支持 sqlite://、postgres://、amqp://：${queueUrl.split(":")[0]}`);
  }
  const ledgerUrl = get("FEISHU_LEDGER_URL");
  if (ledgerUrl && !/^postgres(ql)?:\/\//.test(ledgerUrl)) {
    problems.push("FEISHU_LEDGER_URL 只支持 postgres://");
  }
  const tokensStore = get("FEISHU_CORE_TOKENS_STORE") ?? `sqlite://${stateDir}/tokens.db`;
  try {
    parseStoreSetting(tokensStore);
  } catch {
    problems.push(
      `FEISHU_CORE_TOKENS_STORE 只支持 sqlite://文件路径 或 postgres://…：${tokensStore.split(":")[0]}`,
    );
  }
  const retry = {
    baseMs: intSetting(get, "FEISHU_CORE_RETRY_BASE_MS", 1000, 1, 60_000, problems),
    retries: intSetting(get, "FEISHU_CORE_RETRIES", 3, 0, 10, problems),
  };
  const when = get("FEISHU_CORE_WHEN_QUEUE_DOWN") ?? "refuse";
  if (when !== "refuse" && when !== "inline") {
    problems.push(`FEISHU_CORE_WHEN_QUEUE_DOWN 只能是 refuse 或 inline`);
  }
  const adminToken = get("FEISHU_CORE_ADMIN_TOKEN");
  if (adminToken !== undefined && adminToken.length < 16) {
    problems.push("FEISHU_CORE_ADMIN_TOKEN 至少 16 个字符");
  }
  const loopback = ["127.0.0.1", "localhost", "::1"].includes(host);
  const encryptKey = get("FEISHU_ENCRYPT_KEY") ?? get("APP_ENCRYPT_KEY");
  if (!loopback && !encryptKey) {
    problems.push("监听非本机地址时必须设置 FEISHU_ENCRYPT_KEY（回调签名校验），否则任何人都能伪造卡片回调");
  }
  if (problems.length) {
    throw new ConfigError(`core config: ${problems.length} problem(s)`, {
      hint: `配置有误：\n- ${problems.join("\n- ")}`,
    });
  }
  return {
    host,
    port,
    publicUrl: (get("FEISHU_CORE_PUBLIC_URL") ?? `http://${host}:${port}`).replace(/\/+$/, ""),
    baseUrl: urls.FEISHU_BASE_URL,
    accountsUrl: urls.FEISHU_ACCOUNTS_URL,
    app: { appId: appId!, appSecret: appSecret! },
    encryptKey,
    verificationToken: get("FEISHU_VERIFICATION_TOKEN") ?? get("APP_VERIFICATION_TOKEN"),
    queueUrl,
    ledgerUrl: ledgerUrl ?? (/^postgres(ql)?:\/\//.test(queueUrl) ? queueUrl : undefined),
    stateDir,
    appsStore: get("FEISHU_CORE_APPS_STORE") ?? `${stateDir}/apps.sqlite`,
    tokensStore,
    retry,
    adminToken,
    whenQueueDown: when as "refuse" | "inline",
    longConnection: ["1", "true", "yes"].includes((get("FEISHU_CORE_LONG_CONNECTION") ?? "").toLowerCase()),
  };
}

/** An integer setting in `[min, max]`, or `fallback` when unset; a bad value is a problem in Chinese. */
function intSetting(
  get: (name: string) => string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const text = get(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    problems.push(`${name} 应为 ${min}–${max} 之间的整数：${text.slice(0, 20)}`);
    return fallback;
  }
  return n;
}
