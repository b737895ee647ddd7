/**
 * Wiring the optional count source (`count:` in the config): the list
 * request copied as cURL from the cooperation-record page (whatever path the
 * browser calls; nothing is hard-coded), the `clm_count` rate bucket and the
 * {@linkcode CountApi}. An export client that can also count is what makes
 * the request stage plan with exact counts.
 *
 * @module
 */
import { cookieAuth } from "../../lib/clm/cookie_auth.ts";
import { COUNT_BUCKET, CountApi, type CountResult } from "../../lib/clm/count_api.ts";
import { parseCurl } from "../../lib/clm/curl_parse.ts";
import {
  EXPORT_COOPERATION_RECORDS_PATH,
  ExportApi,
  type ExportApiOptions,
  type ExportCallOptions,
  exportHeaders,
  type ExportRange,
} from "../../lib/clm/export_api.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { LarkHttp, type LarkHttpOptions } from "../../lib/http/lark_http.ts";
import type { ExportConfig } from "./config.ts";
import { checkCurlHost } from "./credentials.ts";

/** The captured list request, ready to replay. */
export interface CountAuth {
  /** Host of the list request (`auth.base_url` wins over the one in the cURL). */
  baseUrl: string;
  /** Path, as the browser called it. */
  path: string;
  /** Query parameters of the captured URL. */
  query: Record<string, string>;
  /** Method (POST). */
  method: string;
  /** Captured headers (no cookie, no hop-by-hop; `auth.headers` override them). */
  headers: Record<string, string>;
  /** Captured body (range and page size replaced per call). */
  bodyTemplate: Record<string, unknown>;
  /**
   * Cookie the count calls send: after `resolveExportAuth`, the export's when
   * both go to the same host, else the capture's own (see `credentials.ts`).
   */
  cookie: string;
  /** Origin of the captured list request. */
  origin: string;
  /** Chinese notes (never containing secrets). */
  notes: string[];
}

const HINT_COPY =
  "请在合同协同记录页面打开开发者工具「网络」面板，刷新列表（或翻页），找到返回记录列表与总数" +
  "（如 data.total）的请求，右键「复制 → 以 cURL 格式复制(bash)」或「(cmd)」，保存为文本文件后填入 count.curl。";

/**
 * Read and check `count.curl` (or `text` when given). Undefined when no count
 * source is configured. Throws {@linkcode ConfigError} with a Chinese hint
 * when the file cannot be read, is the export request, or has no JSON body.
 */
export async function resolveCountAuth(config: ExportConfig, text?: string): Promise<CountAuth | undefined> {
  if (text === undefined && !config.count.curl) return undefined;
  if (text === undefined) {
    try {
      text = await Deno.readTextFile(config.count.curl);
    } catch (e) {
      throw new ConfigError(`cannot read ${config.count.curl}`, {
        cause: e,
        hint:
          `无法读取计数 cURL 文件 ${config.count.curl}：请确认路径正确，或把 count.curl 留空（不用计数查询）。`,
      });
    }
  }
  const curl = parseCurl(text);
  checkCurlHost(curl, config, "count.curl");
  if (curl.path === EXPORT_COOPERATION_RECORDS_PATH) {
    throw new ConfigError("count curl is the export request", {
      hint: `count.curl 复制的是导出请求 ${curl.path}，计数需要的是列表请求。${HINT_COPY}`,
    });
  }
  const body = curl.body;
  if (curl.method === "GET" || !body || typeof body !== "object" || Array.isArray(body)) {
    throw new ConfigError(`count curl ${curl.method} ${curl.path} has no JSON body`, {
      hint:
        `count.curl 中的请求（${curl.method} ${curl.path}）没有 JSON 请求体，无法替换时间范围。${HINT_COPY}`,
    });
  }
  const template = body as Record<string, unknown>;
  const notes = [`计数查询已启用：列表请求 ${curl.path}，总数取自响应的 ${config.count.total_path}`];
  if (!(config.count.range_field.split(".")[0] in template)) {
    notes.push(
      `注意：列表请求体中没有 ${config.count.range_field}，将自动加入时间范围；如计数不准请检查 count.range_field。`,
    );
  }
  const headers = exportHeaders(curl.headers);
  if (curl.csrfToken && !Object.keys(headers).some((h) => /csrf|xsrf/.test(h))) {
    headers["x-csrf-token"] = curl.csrfToken;
  }
  const url = new URL(curl.url);
  return {
    baseUrl: (config.auth.base_url || curl.origin).replace(/\/+$/, ""),
    path: curl.path,
    query: Object.fromEntries(url.searchParams),
    method: curl.method,
    headers: {
      ...headers,
      ...Object.fromEntries(Object.entries(config.auth.headers).map(([k, v]) => [k.toLowerCase(), v])),
    },
    bodyTemplate: template,
    cookie: curl.cookie,
    origin: curl.origin,
    notes,
  };
}

/** An export client that can also count: what makes the request stage plan with exact counts. */
export class CountingExportApi extends ExportApi {
  /** The count source. */
  readonly counter: CountApi;

  /** Export through `http` as {@linkcode ExportApi} does; count through `counter`. */
  constructor(http: LarkHttp, options: ExportApiOptions, counter: CountApi) {
    super(http, options);
    this.counter = counter;
  }

  /** Count the records created in `range` (the list request). */
  countRecords(range: ExportRange, o?: ExportCallOptions): Promise<CountResult> {
    return this.counter.countRecords(range, o);
  }
}

/**
 * The {@linkcode CountApi} for `count`: its own cookie-authenticated client on
 * the shared limiter (`http` options as for the export calls), the same
 * filters as the export body, the configured fields and zone.
 */
export function createCountApi(
  config: ExportConfig,
  count: CountAuth,
  cookie: string,
  exportBody: Record<string, unknown>,
  http: Omit<LarkHttpOptions, "baseUrl" | "auth">,
): CountApi {
  const client = new LarkHttp({ ...http, baseUrl: count.baseUrl, auth: cookieAuth(cookie || count.cookie) });
  return new CountApi(client, {
    path: count.path,
    method: count.method,
    query: count.query,
    headers: count.headers,
    bodyTemplate: count.bodyTemplate,
    filters: {
      keyword: typeof exportBody.keyword === "string" ? exportBody.keyword : undefined,
      searchTabEnumCode: typeof exportBody.searchTabEnumCode === "number"
        ? exportBody.searchTabEnumCode
        : undefined,
    },
    tzOffsetMinutes: config.tz_offset_minutes,
    totalPath: config.count.total_path,
    rangeField: config.count.range_field,
    pageSizeField: config.count.page_size_field,
  });
}

/** Rate buckets of the count calls (none without a count source). */
export function countBuckets(config: ExportConfig, count?: CountAuth): Record<string, { perMinute: number }> {
  return count ? { [COUNT_BUCKET]: { perMinute: config.count.count_qpm } } : {};
}
