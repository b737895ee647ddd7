/**
 * Exact record counts from the cooperation-record list request.
 *
 * The list page the user exports from also fetches the records list, and
 * that request answers with the total for the same filters and time range.
 * Its path is whatever the user's browser calls: it is captured with "Copy as
 * cURL" exactly like the export request and never hard-coded here (the CLM
 * web API is undocumented). {@linkcode CountApi} replays that request with the
 * time range of a window and a page size of 1, and reads the total at a
 * configurable JSON path.
 *
 * @module
 */
import { ConfigError } from "../errors/config_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";
import { type ExportCallOptions, exportHeaders, type ExportRange, exportRangeMs } from "./export_api.ts";

/** Rate bucket of the count calls. */
export const COUNT_BUCKET = "clm_count";
/** Default JSON path of the total in the list response. */
export const DEFAULT_TOTAL_PATH = "data.total";
/** Default body field holding `[fromMs, toMs]`. */
export const DEFAULT_RANGE_FIELD = "searchCooperationByCreateTime";
/** Default body field holding the page size. */
export const DEFAULT_PAGE_SIZE_FIELD = "pageSize";

/** The total read at `totalPath` is missing or not a count. Fatal: the configuration must change. */
export class CountTotalError extends ConfigError {
  /** Create the error; the hint names the path and what was found there. */
  constructor(totalPath: string, found: string) {
    super(`no count at ${totalPath} (${found})`, {
      hint: `计数请求的响应中 ${totalPath} 不是非负整数（实际为 ${found}）：请确认 count.curl 复制的是` +
        "协同记录列表请求（不是导出请求），并按该请求的响应内容设置 count.total_path（例如 data.total）。",
    });
  }
}

/** Options of {@linkcode CountApi}: the captured list request and where its fields are. */
export interface CountApiOptions {
  /** Path of the captured list request, e.g. `/clm/api/cooperation/...` (whatever the browser called). */
  path: string;
  /** Method of the captured request (default `POST`). */
  method?: string;
  /** Query parameters of the captured URL, sent unchanged. */
  query?: Record<string, string>;
  /** Headers captured from the browser (cookie and hop-by-hop ones are dropped). */
  headers?: Record<string, string>;
  /** Body captured from the browser; the range and page size fields are replaced per call. */
  bodyTemplate?: Record<string, unknown>;
  /**
   * Filters copied into the body so the count selects what the export selects:
   * `keyword` and `searchTabEnumCode` (left as in the template when undefined).
   */
  filters?: { keyword?: string; searchTabEnumCode?: number };
  /** `Timezone-Offset` header and day boundaries, minutes (default -480 = UTC+8). */
  tzOffsetMinutes?: number;
  /** Dotted JSON path of the total in the response body (default `data.total`). */
  totalPath?: string;
  /** Dotted body path that receives `[fromMs, toMs]` (default `searchCooperationByCreateTime`). */
  rangeField?: string;
  /** Dotted body path set to 1 (default `pageSize`; "" leaves the page size alone). */
  pageSizeField?: string;
}

/** The answer of one count call. */
export interface CountResult {
  /** Records in the range. */
  total: number;
  /** Our request id (for logs). */
  requestId: string;
  /** Attempts the call took. */
  attempts: number;
}

/** The value at a dotted path (`data.total`, `data.page.0.total`); undefined when absent. */
export function valueAtPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of path.split(".").filter((k) => k !== "")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Set the value at a dotted path, creating objects on the way. */
export function setValueAtPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".").filter((k) => k !== "");
  if (keys.length === 0) return;
  let cur = target;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== "object") cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
}

/** The body of one count call: template, then filters, then the range, then a page size of 1. */
export function buildCountBody(
  template: Record<string, unknown>,
  fromMs: number,
  toMs: number,
  o: Pick<CountApiOptions, "filters" | "rangeField" | "pageSizeField"> = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = structuredClone(template);
  if (o.filters?.keyword !== undefined) body.keyword = o.filters.keyword;
  if (o.filters?.searchTabEnumCode !== undefined) body.searchTabEnumCode = o.filters.searchTabEnumCode;
  setValueAtPath(body, o.rangeField || DEFAULT_RANGE_FIELD, [fromMs, toMs]);
  const pageSize = o.pageSizeField ?? DEFAULT_PAGE_SIZE_FIELD;
  if (pageSize) setValueAtPath(body, pageSize, 1);
  return body;
}

/**
 * Replays the captured list request through {@linkcode LarkHttp} (whose auth
 * must be `cookieAuth`, so an expired session — 401/403, a login redirect or
 * an HTML page — is a `SessionError`), paced by the `clm_count` rate bucket
 * and retried by the core, and returns the total for a window of whole days.
 */
export class CountApi {
  #http: LarkHttp;
  #o: CountApiOptions;
  #headers: Record<string, string>;

  /** Use a cookie-authenticated client. */
  constructor(http: LarkHttp, options: CountApiOptions) {
    this.#http = http;
    this.#o = options;
    this.#headers = {
      ...exportHeaders(options.headers ?? {}),
      "timezone-offset": String(options.tzOffsetMinutes ?? -480),
    };
  }

  /** Path of the captured list request. */
  get path(): string {
    return this.#o.path;
  }

  /** The body that would be sent for `range` (for logs and tests). */
  bodyFor(range: ExportRange): Record<string, unknown> {
    const [from, to] = exportRangeMs(range, this.#o.tzOffsetMinutes ?? -480);
    return buildCountBody(this.#o.bodyTemplate ?? {}, from, to, this.#o);
  }

  /** Count the records created in `range` (whole days, inclusive). */
  async countRecords(range: ExportRange, o: ExportCallOptions = {}): Promise<CountResult> {
    const res = await this.#http.request<unknown>({
      method: this.#o.method ?? "POST",
      path: this.#o.path,
      query: this.#o.query,
      headers: this.#headers,
      body: this.bodyFor(range),
      bucket: COUNT_BUCKET,
      step: "count_request",
      signal: o.signal,
      ids: { start: range.start, end: range.end, ...o.ids },
    });
    const totalPath = this.#o.totalPath || DEFAULT_TOTAL_PATH;
    const raw = valueAtPath(res.body, totalPath);
    const n = typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
      throw new CountTotalError(totalPath, raw === undefined ? "不存在" : `${typeof raw} ${describe(raw)}`);
    }
    return { total: n, requestId: res.requestId, attempts: res.attempts };
  }
}

function describe(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
