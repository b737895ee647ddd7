import { BadRequestError } from "../errors/bad_request_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";

/** Path of the cooperation-record export on contract.feishu.cn. */
export const EXPORT_COOPERATION_RECORDS_PATH = "/clm/api/cooperation/exportCooperationRecords";
/** Rows one exported file can hold. */
export const EXPORT_ROW_CAP = 1000;
/** Rate bucket of the export calls. */
export const EXPORT_BUCKET = "clm_export";

/**
 * Headers never copied from a captured request: hop-by-hop and framing
 * headers, the body's length and type (the client sends JSON), and the
 * cookie (it goes through `cookieAuth`).
 */
const DROPPED_HEADERS = new Set([
  "cookie",
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "content-length",
  "content-type",
  "accept-encoding",
  "expect",
]);

/**
 * The answer of the export call.
 *
 * ASSUMPTION (the real response is undocumented; this is the sandbox
 * contract): `{code: 0, message: "success", data: {taskId: string, total: number}}`
 * where `total` is the number of records in range. The file the bot later
 * delivers holds `min(total, 1000)` rows. When `total` is absent the count
 * is taken from the bot's message. `taskId` may also come as a number or as
 * `task_id`.
 */
export interface ExportTask {
  /** Export task id ("" when the response carried none). */
  taskId: string;
  /** Records in range, when the response says. */
  total?: number;
  /** Our request id (for logs). */
  requestId: string;
  /** Attempts the call took. */
  attempts: number;
}

/** A window of whole days to export. */
export interface ExportRange {
  /** First day, `YYYY-MM-DD`. */
  start: string;
  /** Last day, `YYYY-MM-DD` (included). */
  end: string;
}

/** Options of {@linkcode ExportApi}. */
export interface ExportApiOptions {
  /** Headers captured from the browser (lower-case names); cookie and hop-by-hop ones are dropped. */
  headers?: Record<string, string>;
  /** Body captured from the browser; `searchCooperationByCreateTime` is replaced per call. Default `{}`. */
  bodyTemplate?: Record<string, unknown>;
  /** Filters that override the template: `keyword` (default "") and `searchTabEnumCode` (default 0). */
  filters?: { keyword?: string; searchTabEnumCode?: number };
  /** `Timezone-Offset` header and day boundaries, minutes (default -480 = UTC+8). */
  tzOffsetMinutes?: number;
}

/** Per-call options. */
export interface ExportCallOptions {
  /** Cancel the call. */
  signal?: AbortSignal;
  /** Ids for logs. */
  ids?: Record<string, unknown>;
}

/** Epoch ms of `00:00:00.000` of `start` and `23:59:59.999` of `end` in the zone `tzOffsetMinutes`. */
export function exportRangeMs(range: ExportRange, tzOffsetMinutes: number): [number, number] {
  const day = (iso: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(Date.parse(`${iso}T00:00:00Z`))) {
      throw new BadRequestError(`bad date ${iso}`, { hint: `日期格式应为 YYYY-MM-DD：${iso}` });
    }
    return Date.parse(`${iso}T00:00:00Z`);
  };
  const shift = tzOffsetMinutes * 60_000;
  return [day(range.start) + shift, day(range.end) + 86_400_000 - 1 + shift];
}

/** Captured headers minus hop-by-hop, length and cookie headers. */
export function exportHeaders(captured: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(captured)) {
    const name = k.toLowerCase();
    if (!DROPPED_HEADERS.has(name) && !name.startsWith(":")) out[name] = v;
  }
  return out;
}

/** The body of one export call: template, then filters, then the time range. */
export function buildExportBody(
  template: Record<string, unknown>,
  fromMs: number,
  toMs: number,
  filters: ExportApiOptions["filters"] = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = { keyword: "", searchTabEnumCode: 0, ...structuredClone(template) };
  if (filters.keyword !== undefined) body.keyword = filters.keyword;
  if (filters.searchTabEnumCode !== undefined) body.searchTabEnumCode = filters.searchTabEnumCode;
  body.searchCooperationByCreateTime = [fromMs, toMs];
  return body;
}

/**
 * `POST /clm/api/cooperation/exportCooperationRecords` through
 * {@linkcode LarkHttp} (whose auth must be `cookieAuth`, so an expired
 * session — 401/403, a login redirect or an HTML page — is a `SessionError`),
 * paced by the `clm_export` rate bucket and retried by the core.
 */
export class ExportApi {
  #http: LarkHttp;
  #o: ExportApiOptions;
  #headers: Record<string, string>;

  /** Use a cookie-authenticated client. */
  constructor(http: LarkHttp, options: ExportApiOptions = {}) {
    this.#http = http;
    this.#o = options;
    this.#headers = {
      ...exportHeaders(options.headers ?? {}),
      "timezone-offset": String(options.tzOffsetMinutes ?? -480),
    };
  }

  /** The body that would be sent for `range` (for logs and tests). */
  bodyFor(range: ExportRange): Record<string, unknown> {
    const [from, to] = exportRangeMs(range, this.#o.tzOffsetMinutes ?? -480);
    return buildExportBody(this.#o.bodyTemplate ?? {}, from, to, this.#o.filters);
  }

  /** Start an export of the records created in `range` (whole days, inclusive). */
  async exportRecords(range: ExportRange, o: ExportCallOptions = {}): Promise<ExportTask> {
    const res = await this.#http.request<Record<string, unknown> | null>({
      method: "POST",
      path: EXPORT_COOPERATION_RECORDS_PATH,
      headers: this.#headers,
      body: this.bodyFor(range),
      bucket: EXPORT_BUCKET,
      step: "export_request",
      signal: o.signal,
      ids: { start: range.start, end: range.end, ...o.ids },
    });
    const data = res.data ?? {};
    const rawId = data.taskId ?? data.task_id ?? data.exportTaskId ?? "";
    const total = toCount(data.total ?? data.count ?? data.totalCount);
    return {
      taskId: String(rawId),
      ...(total === undefined ? {} : { total }),
      requestId: res.requestId,
      attempts: res.attempts,
    };
  }
}

function toCount(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}
