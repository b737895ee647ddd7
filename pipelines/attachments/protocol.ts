/**
 * The wire protocol of the Base sidebar plugin "download-files" (client
 * version 1.1.8) in its local-client modes: message types, the shapes the
 * plugin sends, and parsers that turn a text frame into a typed message or a
 * validation problem. Every frame is a UTF-8 JSON object `{type, data?}`.
 *
 * @module
 */

/** The version we answer to probes; the plugin requires ≥ 1.1.8 (3-part semver). */
export const SERVER_VERSION = "1.1.8";

/** Message types of the protocol. */
export const MSG = {
  probe: "feishu_attachment_probe",
  config: "feishu_attachment_config",
  link: "feishu_attachment_link",
  refresh: "feishu_attachment_refresh",
  complete: "feishu_attachment_complete",
  ack: "feishu_attachment_ack",
} as const;

/** Download mode of a job: pre-signed links from the plugin, or the personal base token. */
export type DownloadMode = "url" | "token";

/** A job's configuration (`feishu_attachment_config`). */
export interface JobConfig {
  /** `jobId` as sent (the plugin sends `Date.now()` as text); Unix seconds when missing. */
  jobId: string;
  /** Folder name before sanitising: `zipName`, else `jobName`, else `download_<jobId>`. */
  name: string;
  /** Files announced (counters only). */
  total: number;
  /** Zip the job folder when done. */
  zipAfterDownload: boolean;
  /** `url` or `token`. */
  mode: DownloadMode;
  /** Concurrency asked for (token mode, 1..50), if any. */
  concurrent?: number;
  /** Token mode: the Base's table id. */
  tableId?: string;
  /** Token mode: the Base's app token (`baseId`). */
  appToken?: string;
}

/** One file announced by the plugin (`feishu_attachment_link` item). */
export interface LinkItem {
  /** Final file name (renamed and de-duplicated by the plugin). */
  name: string;
  /** Relative folder such as `A/B/`, or ''. */
  path: string;
  /** 1-based file index, the key for acks and refreshes (absent only with a legacy `downloadUrl`). */
  order?: number;
  /** Size in bytes, when the plugin knows it. */
  size?: number;
  /** Token mode: attachment file token. */
  token?: string;
  /** Token mode: attachment field id. */
  fieldId?: string;
  /** Token mode: record id. */
  recordId?: string;
  /** Legacy: a URL sent up front. */
  downloadUrl?: string;
}

/** A refresh reply (`feishu_attachment_refresh`). */
export type RefreshReply = { order: number; downloadUrl: string } | { order: number; error: string };

/** A parsed incoming frame. */
export type Incoming =
  | { type: "probe" }
  | { type: "config"; data: Record<string, unknown> }
  | { type: "link"; items: unknown[] }
  | { type: "refresh"; reply?: RefreshReply }
  | { type: "complete" }
  | { type: "unknown"; name: string }
  | { type: "invalid"; reason: string };

/** Parse a text frame. Bad JSON or a non-object is `invalid`; an unknown `type` is `unknown`. */
export function parseFrame(text: string): Incoming {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { type: "invalid", reason: "帧不是合法的 JSON" };
  }
  if (!isObject(msg) || typeof msg.type !== "string") return { type: "invalid", reason: "帧缺少 type 字段" };
  const data = msg.data ?? {};
  switch (msg.type) {
    case MSG.probe:
      return { type: "probe" };
    case MSG.config:
      return { type: "config", data: isObject(data) ? data : {} };
    case MSG.link:
      return { type: "link", items: linkItems(data) };
    case MSG.refresh:
      return { type: "refresh", reply: parseRefreshReply(data) };
    case MSG.complete:
      return { type: "complete" };
    default:
      return { type: "unknown", name: msg.type };
  }
}

/** Link frames carry one object, an array, or `{files: […]}`. */
export function linkItems(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (isObject(data) && Array.isArray(data.files)) return data.files;
  if (isObject(data)) return [data];
  return [];
}

/** Parse a config `data`; throws a message (Chinese + the upstream English prefix) when unusable. */
export function parseConfig(data: Record<string, unknown>, nowMs: number): JobConfig {
  const jobId = textOf(data.jobId) || String(Math.floor(nowMs / 1000));
  const totalRaw = data.total ?? 0;
  const total = Number(totalRaw);
  if (!Number.isFinite(total) || (typeof totalRaw !== "number" && typeof totalRaw !== "string")) {
    throw new ConfigPayloadError(`invalid config payload: total=${JSON.stringify(totalRaw)}`);
  }
  const mode: DownloadMode = textOf(data.downloadMode).toLowerCase() === "token" ? "token" : "url";
  const concurrent = Number(data.concurrent);
  const config: JobConfig = {
    jobId,
    name: textOf(data.zipName) || textOf(data.jobName) || `download_${jobId}`,
    total: Math.max(0, Math.trunc(total)),
    zipAfterDownload: data.zipAfterDownload === true || data.zipAfterDownload === "true",
    mode,
    concurrent: Number.isInteger(concurrent) && concurrent >= 1 && concurrent <= 50 ? concurrent : undefined,
  };
  if (mode === "token") {
    config.tableId = textOf(data.tableId);
    config.appToken = textOf(data.appToken);
    if (!config.tableId || !config.appToken) {
      throw new ConfigPayloadError(
        "authorization download requires tableId and appToken. 授权码下载缺少 tableId 或 appToken。",
      );
    }
  }
  return config;
}

/** A config that cannot start a job. */
export class ConfigPayloadError extends Error {}

/** Validate one link item for `mode`; returns the item or a per-file error message. */
export function parseLinkItem(raw: unknown, mode: DownloadMode): { item: LinkItem } | {
  error: string;
  order?: number;
} {
  if (!isObject(raw)) return { error: "invalid file payload." };
  const order = orderOf(raw.order);
  const name = textOf(raw.name);
  if (!name) return { error: "missing file name", order };
  const size = Number(raw.size);
  const item: LinkItem = {
    name,
    path: typeof raw.path === "string" ? raw.path : "",
    order,
    size: Number.isSafeInteger(size) && size >= 0 ? size : undefined,
    downloadUrl: textOf(raw.downloadUrl) || undefined,
  };
  if (mode === "token") {
    item.token = textOf(raw.token);
    item.fieldId = textOf(raw.fieldId);
    item.recordId = textOf(raw.recordId);
    if (!item.token || !item.fieldId || !item.recordId) {
      return { error: "authorization download payload missing attachment identifiers.", order };
    }
  } else if (order === undefined && !item.downloadUrl) {
    return { error: "missing downloadUrl and order; cannot request url refresh.", order };
  }
  return { item };
}

/** `{order, downloadUrl}` or `{order, error}` (error wins); undefined when `order` is not an integer. */
export function parseRefreshReply(data: unknown): RefreshReply | undefined {
  if (!isObject(data)) return undefined;
  const order = orderOf(data.order);
  if (order === undefined) return undefined;
  if (data.error !== undefined && data.error !== null && data.error !== "") {
    return { order, error: String(data.error) };
  }
  const url = textOf(data.downloadUrl);
  return url ? { order, downloadUrl: url } : { order, error: "empty downloadUrl" };
}

/** A positive integer order (numeric strings accepted), else undefined. */
export function orderOf(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

function textOf(v: unknown): string {
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return "";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
