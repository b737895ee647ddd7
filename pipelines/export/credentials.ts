/**
 * Which host and which cookie the export (and count) calls use, checked
 * before any request:
 *
 * - a copied cURL must be for a Feishu contract host (`contract.feishu.cn`,
 *   `contract.larksuite.com`, over https), the host of `auth.base_url`, a
 *   host listed in `auth.allowed_hosts`, or the local sandbox (loopback);
 *   anything else is refused with a Chinese usage error (exit 2), so a
 *   session cookie is never sent to a stranger and nothing is retried;
 * - when the config and the cURL both carry a host or a cookie, the config
 *   wins and a note says so;
 * - a cookie is only sent to the host it belongs to: when the count request
 *   goes to another host than the export, it uses its own capture's cookie,
 *   never the export's.
 *
 * @module
 */
import type { ParsedCurl } from "../../lib/clm/curl_parse.ts";
import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import type { ExportConfig } from "./config.ts";

/** The hosts of Feishu's contract web app (Feishu and Lark). */
export const FEISHU_CONTRACT_HOSTS: readonly string[] = ["contract.feishu.cn", "contract.larksuite.com"];

/** Default host of the export calls when neither the config nor a cURL names one. */
export const DEFAULT_CONTRACT_BASE_URL = "https://contract.feishu.cn";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The hosts (`host[:port]` for configured ones) a copied cURL may target. */
export function allowedCurlHosts(config: ExportConfig): string[] {
  const out = [...FEISHU_CONTRACT_HOSTS, ...config.auth.allowed_hosts.map((h) => h.toLowerCase())];
  if (config.auth.base_url) out.push(new URL(config.auth.base_url).host);
  return out;
}

/**
 * Refuse a copied request whose host is not a contract host (see the module
 * doc). `source` names where it came from (`--curl`, `count.curl`).
 */
export function checkCurlHost(curl: ParsedCurl, config: ExportConfig, source: string): void {
  let url: URL;
  try {
    url = new URL(curl.url);
  } catch {
    throw refuse(`bad url in ${source}`, `${source} 中的请求地址无法识别：${clip(curl.url)}。`);
  }
  const allowed = allowedCurlHosts(config);
  const host = url.host.toLowerCase();
  if (LOOPBACK.has(url.hostname.toLowerCase())) return;
  if (allowed.includes(host) && !FEISHU_CONTRACT_HOSTS.includes(host)) return;
  if (FEISHU_CONTRACT_HOSTS.includes(host)) {
    if (url.protocol === "https:") return;
    throw refuse(
      `${source} not https`,
      `${source} 中的请求是 ${url.protocol}//${host}，不是 https：为避免 Cookie 明文传输，请从浏览器重新复制 https 请求。`,
    );
  }
  throw refuse(
    `${source} host ${host} is not a contract host`,
    `${source} 中的请求发往 ${host}，不是飞书合同地址（${allowed.join("、")}）：为保护登录 Cookie，` +
      "不会向其他主机发送任何请求。请在 contract.feishu.cn 的合同协同记录页重新复制请求；" +
      "私有化部署或沙箱请在配置 auth.base_url 或 auth.allowed_hosts 中写明该地址。",
  );
}

/** The host and cookies chosen for a run, with the notes to print. */
export interface ChosenCredentials {
  /** Base URL of the export calls. */
  baseUrl: string;
  /** Cookie of the export calls ("" when none). */
  cookie: string;
  /** Base URL of the count calls (when a count request is configured). */
  countBaseUrl?: string;
  /** Cookie of the count calls ("" when none: counting is then switched off). */
  countCookie?: string;
  /** Chinese notes (never containing a secret). */
  notes: string[];
}

/**
 * Choose the export host and cookie (config first, then the export cURL,
 * then the count cURL when it is for the same host) and the count cookie
 * (the export's when both go to the same host, else the count capture's own).
 */
export function chooseCredentials(
  config: ExportConfig,
  curl: ParsedCurl | undefined,
  count: { origin: string; cookie: string } | undefined,
): ChosenCredentials {
  const notes: string[] = [];
  const configured = config.auth.base_url.replace(/\/+$/, "");
  if (configured && curl && sameOrigin(configured, curl.origin)) {
    notes.push(`请求地址：配置 auth.base_url 与 cURL 中的地址相同（${configured}）。`);
  } else if (configured && curl) {
    notes.push(
      `请求地址：配置 auth.base_url（${configured}）与 cURL 中的地址（${curl.origin}）不同，使用配置的 ${configured}。`,
    );
  }
  const baseUrl = (configured || curl?.origin || DEFAULT_CONTRACT_BASE_URL).replace(/\/+$/, "");
  const countBaseUrl = count ? (configured || count.origin).replace(/\/+$/, "") : undefined;
  const countSameHost = countBaseUrl !== undefined && sameOrigin(countBaseUrl, baseUrl);

  const fromConfig = config.auth.cookie;
  if (fromConfig && curl?.cookie) {
    notes.push(
      fromConfig === curl.cookie
        ? "Cookie：配置 auth.cookie（或环境变量 FEISHU_CLM_COOKIE）与 cURL 中的 Cookie 相同。"
        : "Cookie：配置 auth.cookie（或环境变量 FEISHU_CLM_COOKIE）与 cURL 中的 Cookie 都有，使用配置中的；cURL 中的 Cookie 未使用。",
    );
  }
  const cookie = fromConfig || curl?.cookie || (countSameHost ? count?.cookie : "") || "";

  let countCookie: string | undefined;
  if (count) {
    if (countSameHost) countCookie = cookie || count.cookie;
    else {
      countCookie = count.cookie;
      notes.push(
        `计数请求发往 ${countBaseUrl}，与导出地址 ${baseUrl} 不同：计数只使用计数 cURL 自己的 Cookie，` +
          "导出用的 Cookie 不会发往该主机。" +
          (countCookie ? "" : "计数 cURL 中没有 Cookie，本次不做计数查询（按密度估算窗口）。"),
      );
    }
  }
  return { baseUrl, cookie, notes, ...(count ? { countBaseUrl, countCookie } : {}) };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    const x = new URL(a), y = new URL(b);
    return x.protocol === y.protocol && x.host.toLowerCase() === y.host.toLowerCase();
  } catch {
    return false;
  }
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function refuse(message: string, hint: string): BadRequestError {
  return new BadRequestError(message, { hint });
}
