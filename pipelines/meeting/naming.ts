import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { cleanPart, graphemes, sanitizeFileName, utf8Length } from "../../lib/fs/safe_name.ts";

/** Placeholders a name template may use. */
export const NAME_PLACEHOLDERS: readonly string[] = [
  "姓名",
  "会议主题",
  "YYYYMMDD_HHMM",
  "YYYYMMDD",
  "HHMM",
  "user_id",
];

/** The default template: `{姓名}_{会议主题}_{YYYYMMDD_HHMM}`. */
export const DEFAULT_NAME_TEMPLATE = "{姓名}_{会议主题}_{YYYYMMDD_HHMM}";

/** What a meeting file name is made of. */
export interface MeetingNameInput {
  /** The user's name (`{姓名}`). */
  userName: string;
  /** Meeting topic (`{会议主题}`); empty means {@linkcode NamingOptions.emptyTopic}. */
  topic: string;
  /**
   * Meeting start: unix seconds as Feishu sends them (`"1768788000"`), a
   * number of unix seconds (values ≥ 1e12 are taken as ms), or a `Date`.
   */
  start: string | number | Date;
  /** The user's id (`{user_id}`). */
  userId?: string;
}

/** Options of {@linkcode meetingFileName}. */
export interface NamingOptions {
  /** Template (default {@linkcode DEFAULT_NAME_TEMPLATE}); see {@linkcode NAME_PLACEHOLDERS}. */
  template?: string;
  /** IANA zone or offset for the time stamp (default `Asia/Shanghai`). */
  timeZone?: string;
  /** Extension, dot included (default `.mp4`). */
  extension?: string;
  /** Most characters in the name, extension included (default 120). */
  maxChars?: number;
  /** Most UTF-8 bytes in the name, extension included (default 240). */
  maxBytes?: number;
  /** Topic used when the meeting has none (default `未命名会议`). */
  emptyTopic?: string;
}

/** Placeholders in `template` that are not in {@linkcode NAME_PLACEHOLDERS}. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).filter((p) =>
    !NAME_PLACEHOLDERS.includes(p)
  );
}

/** `YYYYMMDD_HHMM` of `start` in `timeZone` (see {@linkcode MeetingNameInput.start}). */
export function formatStamp(start: string | number | Date, timeZone = "Asia/Shanghai"): string {
  const date = toDate(start);
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00";
  return `${get("year")}${get("month")}${get("day")}_${get("hour")}${get("minute")}`;
}

/**
 * The file name of a meeting recording, e.g. `张三_周会_20260119_1000.mp4`
 * for 张三's meeting 周会 starting at 2026-01-19 10:00 (+08:00). Every part
 * is cleaned of characters illegal on Windows or Linux; when the name is too
 * long the topic is cut first (then the user name), never the time stamp or
 * the extension. The result is always a single safe name component.
 *
 * @example
 * ```ts
 * meetingFileName({ userName: "张三", topic: "周会", start: "1768788000" }); // "张三_周会_20260119_1000.mp4"
 * ```
 */
export function meetingFileName(input: MeetingNameInput, options: NamingOptions = {}): string {
  const template = options.template ?? DEFAULT_NAME_TEMPLATE;
  const unknown = unknownPlaceholders(template);
  if (unknown.length) {
    throw new ConfigError(`unknown placeholders ${unknown.join(", ")}`, {
      hint: `文件名模板 naming.template 中有未知占位符 ${unknown.map((u) => `{${u}}`).join("、")}；` +
        `可用：${NAME_PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}。`,
    });
  }
  const maxChars = options.maxChars ?? 120;
  const maxBytes = options.maxBytes ?? 240;
  const ext = /^\.[A-Za-z0-9]{1,10}$/.test(options.extension ?? "") ? options.extension! : ".mp4";
  const stamp = formatStamp(input.start, options.timeZone ?? "Asia/Shanghai");
  const name = graphemes(cleanPart(input.userName) || "未知用户");
  const topic = graphemes(cleanPart(input.topic) || cleanPart(options.emptyTopic ?? "未命名会议") || "会议");
  const render = (n: number, t: number): string => {
    const fields: Record<string, string> = {
      "姓名": name.slice(0, n).join("").trim(),
      "会议主题": topic.slice(0, t).join("").trim(),
      "YYYYMMDD_HHMM": stamp,
      "YYYYMMDD": stamp.slice(0, 8),
      "HHMM": stamp.slice(9),
      "user_id": cleanPart(input.userId ?? ""),
    };
    return cleanPart(template.replace(/\{([^{}]*)\}/g, (_, p: string) => fields[p] ?? "")) + ext;
  };
  const fits = (s: string) => graphemes(s).length <= maxChars && utf8Length(s) <= maxBytes;
  // Longest topic that fits (binary search: the length grows with the topic), then the name.
  let t = largest(topic.length, (k) => fits(render(name.length, k)));
  let n = name.length;
  if (t < 0) {
    t = 0;
    n = Math.max(0, largest(name.length, (k) => fits(render(k, 0))));
  }
  return sanitizeFileName(render(n, t), { maxChars, maxBytes });
}

/** The largest k in [0, max] with ok(k) (ok monotone decreasing), or -1. */
function largest(max: number, ok: (k: number) => boolean): number {
  if (!ok(0)) return -1;
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function toDate(start: string | number | Date): Date {
  let d: Date;
  if (start instanceof Date) d = start;
  else {
    const n = typeof start === "number" ? start : /^\s*\d+(\.\d+)?\s*$/.test(start) ? Number(start) : NaN;
    d = new Date(n >= 1e12 ? n : n * 1000);
  }
  if (Number.isNaN(d.getTime())) {
    throw new BadRequestError(`invalid meeting start ${String(start)}`, {
      hint: `会议开始时间「${String(start)}」无效（应为 unix 秒），无法生成文件名。`,
    });
  }
  return d;
}
