import type { AppCredentials, TokenEndpoints } from "../../../lib/token/token_endpoints.ts";
import type { MeetingConfig } from "../config.ts";
import type { FreeBytesFn } from "../free_space.ts";
import { checkNasRoot } from "../nas_root_check.ts";

/** Options of {@linkcode checkMeetingStartup}. */
export interface StartupCheckOptions {
  /**
   * Token endpoints: a tenant token is fetched straight from Feishu (not from
   * the token cache, which could hide a changed App Secret for up to 2 h).
   */
  endpoints: Pick<TokenEndpoints, "fetchTenantToken">;
  /** Free-space probe (default `statfs`, then `df`). */
  freeBytes?: FreeBytesFn;
  /** Cancel. */
  signal?: AbortSignal;
}

/** What {@linkcode checkMeetingStartup} found (it throws on a blocking problem). */
export interface StartupReport {
  /** Checks passed, one Chinese line each. */
  passed: string[];
  /** Chinese warnings (the service can run, but something looks wrong). */
  warnings: string[];
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i;

/**
 * Start-up checks of `deno task meeting`, each saying in Chinese what to fix:
 * the app credentials (a tenant token is fetched from Feishu, bypassing the
 * token cache: a wrong App ID / App Secret throws a `ConfigError`), the NAS root (exists, is a folder, writable; free
 * space against `nas.reserve_mb` — a `NasError` when not usable). Warns when
 * webhook mode runs with a loopback `public_base_url` that Feishu cannot reach.
 *
 * @example
 * ```ts
 * import type { MeetingConfig } from "../config.ts";
 * import type { MeetingService } from "./meeting_service.ts";
 *
 * declare const config: MeetingConfig, service: MeetingService;
 * const report = await checkMeetingStartup(config, { endpoints: service.clients.endpoints });
 * for (const w of report.warnings) console.error(`警告：${w}`);
 * ```
 */
export async function checkMeetingStartup(
  config: MeetingConfig,
  options: StartupCheckOptions,
): Promise<StartupReport> {
  const passed: string[] = [];
  const warnings: string[] = [];
  const app: AppCredentials = { appId: config.app.app_id, appSecret: config.app.app_secret };
  await options.endpoints.fetchTenantToken(app, options.signal);
  passed.push(`应用凭证有效（已获取 ${config.app.app_id} 的 tenant_access_token）。`);
  const nas = await checkNasRoot(config.nas.root, {
    reserveBytes: config.nas.reserve_mb * 1024 * 1024,
    freeBytes: options.freeBytes,
  });
  const free = nas.freeBytes === undefined
    ? "剩余空间未知"
    : `剩余 ${(nas.freeBytes / 1024 ** 3).toFixed(1)} GB`;
  passed.push(`NAS 根目录 ${config.nas.root} 可写（${free}）。`);
  warnings.push(...nas.warnings);
  const local = LOOPBACK.test(config.server.public_base_url);
  if (config.events.mode === "webhook" && local && !LOOPBACK.test(config.app.base_url)) {
    warnings.push(
      `server.public_base_url 是本机地址（${config.server.public_base_url}），飞书无法把事件推送到这里：` +
        "请改为公网可访问的地址（并在开发者后台登记事件请求地址 …/webhook/event），或改用 events.mode: long_connection。",
    );
  }
  if (local && !LOOPBACK.test(config.app.base_url)) {
    warnings.push(
      "授权回调地址 …/auth/callback 是本机地址：只有在本机浏览器中打开授权页才能完成授权；" +
        "多人使用时请把 server.public_base_url 改为同事能访问的地址。",
    );
  }
  return { passed, warnings };
}
