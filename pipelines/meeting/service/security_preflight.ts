import { ConfigError } from "../../../lib/errors/config_error.ts";
import type { Logger } from "../../../lib/log/logger.ts";
import { type MeetingConfig, meetingKeyFile } from "../config.ts";
import { type AccessPolicy, accessPolicy, isExposed, isLoopbackHost } from "./access_policy.ts";
import { resolveAdminToken } from "./admin_token.ts";

/** Options of {@linkcode securityPreflight}. */
export interface SecurityPreflightOptions {
  /** Called once with a newly generated admin token (show it; it is never logged). */
  onAdminTokenCreated?: (token: string) => void;
  /** Environment reader for the at-rest key (`FEISHU_KIT_KEY`; tests). */
  getEnv?: (name: string) => string | undefined;
  /** Logger (warnings; never the token). */
  logger: Logger;
}

/**
 * The security checks that decide whether the service may start, then its
 * access policy:
 *
 * - webhook mode needs `app.verification_token` (else anyone could post a forged
 *   "meeting ended" event): a `ConfigError` saying where to find it; the
 *   long connection authenticates itself and needs none;
 * - a service reachable beyond loopback (`server.host` not loopback, or a
 *   public `public_base_url`) needs the admin token: the configured one, the
 *   stored one, or a new one generated now (shown once through
 *   `onAdminTokenCreated`). Without a usable token it does not start;
 * - `server.host` not on loopback is logged as a warning (`meeting.exposed`).
 *
 * @example
 * ```ts
 * import type { Logger } from "../../../lib/log/logger.ts";
 * import type { MeetingConfig } from "../config.ts";
 *
 * declare const config: MeetingConfig, logger: Logger;
 * const policy = await securityPreflight(config, { logger, onAdminTokenCreated: (t) => console.error(t) });
 * if (policy.adminToken) console.error("状态页与操作需要管理令牌");
 * ```
 */
export async function securityPreflight(
  config: MeetingConfig,
  o: SecurityPreflightOptions,
): Promise<AccessPolicy> {
  if (config.events.mode === "webhook" && !config.app.verification_token.trim()) {
    throw new ConfigError("app.verification_token is required in webhook mode", {
      hint:
        "webhook 模式必须配置 Verification Token（app.verification_token 或环境变量 APP_VERIFICATION_TOKEN），" +
        "否则任何人都能伪造「会议结束」事件。获取方式：飞书开发者后台（https://open.feishu.cn/app）→ 你的应用 → " +
        "事件与回调 → 加密策略，复制 Verification Token（建议同时配置 Encrypt Key）。不想暴露公网地址时可改用 events.mode: long_connection（无需此项）。",
    });
  }
  if (!isLoopbackHost(config.server.host)) {
    o.logger.warn("meeting.exposed", { host: config.server.host, port: config.server.port });
  }
  if (!isExposed(config)) return accessPolicy(config);
  const stateDir = dirOf(config.state.db);
  const token = await resolveAdminToken({
    configured: config.server.admin_token,
    file: `${stateDir}/admin_token`,
    keyFile: meetingKeyFile(config),
    onCreated: o.onAdminTokenCreated,
    getEnv: o.getEnv,
  });
  return accessPolicy(config, token);
}

/** The warning `deno task meeting` prints when `server.host` is not loopback (else undefined). */
export function exposureWarning(config: MeetingConfig): string | undefined {
  if (isLoopbackHost(config.server.host)) return undefined;
  return `server.host 为 ${config.server.host}：服务可从本机以外访问。状态页与操作已要求管理令牌；` +
    "建议保持 server.host: 127.0.0.1，只通过反向代理（HTTPS）暴露 /webhook/event 与 /auth/*。";
}

function dirOf(file: string): string {
  if (file === ":memory:" || file.startsWith("file:")) return ".state";
  const i = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  return i > 0 ? file.slice(0, i) : i === 0 ? "/" : ".";
}
