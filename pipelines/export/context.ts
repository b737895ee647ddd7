/**
 * Wiring an export run from its configuration: credentials from the copied
 * cURL and/or the config (cookie, headers, body template), the shared rate
 * limiter with the `clm_export` bucket, the cookie-authenticated
 * {@linkcode LarkHttp} and the {@linkcode ExportApi}; with `count.curl` also
 * the count source (`count_context.ts`, bucket `clm_count`).
 *
 * @module
 */
import { cookieAuth } from "../../lib/clm/cookie_auth.ts";
import { parseCurl } from "../../lib/clm/curl_parse.ts";
import {
  EXPORT_BUCKET,
  EXPORT_COOPERATION_RECORDS_PATH,
  ExportApi,
  exportHeaders,
} from "../../lib/clm/export_api.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { RateLimiter } from "../../lib/rate_limit/rate_limiter.ts";
import { type Clock, systemClock } from "../../lib/time/clock.ts";
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";
import type { CountApi } from "../../lib/clm/count_api.ts";
import type { ExportConfig } from "./config.ts";
import { checkCurlHost, chooseCredentials } from "./credentials.ts";
import {
  type CountAuth,
  countBuckets,
  CountingExportApi,
  createCountApi,
  resolveCountAuth,
} from "./count_context.ts";

/** Credentials and request shape for the export calls. */
export interface ExportAuth {
  /** contract.feishu.cn (or the sandbox). */
  baseUrl: string;
  /** Cookie header value. */
  cookie: string;
  /** Extra headers (captured and configured; no cookie, no hop-by-hop). */
  headers: Record<string, string>;
  /** Body captured from the browser (time range replaced per call). */
  bodyTemplate: Record<string, unknown>;
  /** CSRF token found in the capture, if any. */
  csrfToken?: string;
  /** Chinese notes for the user (never containing secrets). */
  notes: string[];
  /** The captured list request for exact counts (`count.curl`), when configured. */
  count?: CountAuth;
}

/**
 * Resolve credentials: the cURL file (`auth.curl`, or `curlText` when given)
 * first, then `auth.cookie` / `auth.headers` / `auth.base_url` from the config
 * (which win). With `count.curl` (or `countCurlText`) the list request for
 * exact counts too. Throws {@linkcode ConfigError} with a Chinese hint when no
 * cookie is available or a copied request is not the expected one.
 */
export async function resolveExportAuth(
  config: ExportConfig,
  curlText?: string,
  countCurlText?: string,
): Promise<ExportAuth> {
  const notes: string[] = [];
  let text = curlText;
  if (text === undefined && config.auth.curl) {
    try {
      text = await Deno.readTextFile(config.auth.curl);
    } catch (e) {
      throw new ConfigError(`cannot read ${config.auth.curl}`, {
        cause: e,
        hint: e instanceof Deno.errors.IsADirectory
          ? `cURL 文件 ${config.auth.curl} 不是文件（是目录）：请指定保存 cURL 的文本文件。`
          : `无法读取 cURL 文件 ${config.auth.curl}：请确认路径正确。`,
      });
    }
  }
  const curl = text !== undefined ? parseCurl(text) : undefined;
  if (curl) checkCurlHost(curl, config, "导出 cURL（--curl / auth.curl）");
  if (curl && curl.path !== EXPORT_COOPERATION_RECORDS_PATH) {
    throw new ConfigError(`curl path ${curl.path}`, {
      hint: `复制的请求是 ${curl.path}，不是导出接口 ${EXPORT_COOPERATION_RECORDS_PATH}：` +
        "请在合同协同记录页面点击「导出」，在开发者工具「网络」中找到 exportCooperationRecords 请求再复制为 cURL。",
    });
  }
  if (curl) {
    notes.push(
      `已从 cURL 读取：${Object.keys(curl.headers).length} 个请求头、${
        Object.keys(curl.cookies).length
      } 个 Cookie` +
        (curl.csrfToken ? "、CSRF 令牌" : "") +
        (curl.body && typeof curl.body === "object" ? "、请求体模板" : ""),
    );
  }
  let count = await resolveCountAuth(config, countCurlText);
  const chosen = chooseCredentials(config, curl, count);
  const cookie = chosen.cookie;
  if (count) {
    count = chosen.countCookie
      ? { ...count, baseUrl: chosen.countBaseUrl!, cookie: chosen.countCookie }
      : undefined;
  }
  if (count) notes.push(...count.notes);
  notes.push(...chosen.notes);
  if (!cookie) {
    throw new ConfigError("no cookie", {
      hint:
        "缺少合同系统的登录 Cookie：请用 --curl 传入从浏览器复制的导出请求，或在配置 auth.cookie / 环境变量 FEISHU_CLM_COOKIE 中提供。",
    });
  }
  const headers = { ...exportHeaders(curl?.headers ?? {}), ...lower(config.auth.headers) };
  if (curl?.csrfToken && !Object.keys(headers).some((h) => /csrf|xsrf/.test(h))) {
    headers["x-csrf-token"] = curl.csrfToken;
  }
  const body = curl?.body && typeof curl.body === "object" && !Array.isArray(curl.body)
    ? curl.body as Record<string, unknown>
    : {};
  return {
    baseUrl: chosen.baseUrl,
    cookie,
    headers,
    bodyTemplate: body,
    csrfToken: curl?.csrfToken,
    notes,
    ...(count ? { count } : {}),
  };
}

/** Everything the request stage talks through. */
export interface ExportContext {
  /** Shared buckets (`global`, `clm_export`). */
  limiter: RateLimiter;
  /** Cookie-authenticated client. */
  http: LarkHttp;
  /** The export call; with a count source a {@linkcode CountingExportApi}, which also counts. */
  api: ExportApi;
  /** The count source, when `count.curl` is configured. */
  counter?: CountApi;
  /** Fingerprint of what selects the records (filters, body template, zone): a run must not change it. */
  fingerprint: string;
}

/** Options of {@linkcode createExportContext}. */
export interface ExportContextOptions {
  /** `fetch` (tests). */
  fetch?: typeof fetch;
  /** Time source. */
  clock?: Clock;
  /** Logger. */
  logger?: Logger;
}

/** Build the limiter, client and export API for a run. */
export async function createExportContext(
  config: ExportConfig,
  auth: ExportAuth,
  o: ExportContextOptions = {},
): Promise<ExportContext> {
  const clock = o.clock ?? systemClock;
  const limiter = new RateLimiter({
    clock,
    buckets: {
      global: { perMinute: config.rate_limit.global_qpm },
      [EXPORT_BUCKET]: { perMinute: config.rate_limit.export_qpm },
      ...countBuckets(config, auth.count),
    },
  });
  const httpOptions = {
    limiter,
    clock,
    fetch: o.fetch,
    logger: o.logger ?? silentLogger,
    connectTimeoutMs: config.http.connect_timeout_ms,
    totalTimeoutMs: config.http.total_timeout_ms,
    retry: { retries: config.retry.max_retries, baseMs: config.retry.base_ms, capMs: config.retry.cap_ms },
  };
  const http = new LarkHttp({ ...httpOptions, baseUrl: auth.baseUrl, auth: cookieAuth(auth.cookie) });
  const filters = {
    keyword: config.filters.keyword ?? undefined,
    searchTabEnumCode: config.filters.searchTabEnumCode ?? undefined,
  };
  const exportOptions = {
    headers: auth.headers,
    bodyTemplate: auth.bodyTemplate,
    filters,
    tzOffsetMinutes: config.tz_offset_minutes,
  };
  let api = new ExportApi(http, exportOptions);
  const shape = api.bodyFor({ start: "2000-01-01", end: "2000-01-01" });
  delete shape.searchCooperationByCreateTime;
  let counter: CountApi | undefined;
  if (auth.count) {
    // The count's own cookie: the export's only when both go to the same host (credentials.ts).
    counter = createCountApi(config, auth.count, auth.count.cookie, shape, httpOptions);
    api = new CountingExportApi(http, exportOptions, counter);
  }
  const fingerprint = await sha256Text(
    JSON.stringify({ body: sortKeys(shape), tz: config.tz_offset_minutes }),
  );
  return { limiter, http, api, fingerprint, ...(counter ? { counter } : {}) };
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

async function sha256Text(s: string): Promise<string> {
  return (await sha256Hex(s)).slice(0, 16);
}
