import type { AuthProvider } from "../auth/auth_provider.ts";
import { LarkError } from "../errors/lark_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";

/** Rate bucket of the minutes APIs, with its documented budget (5/s). */
export const MINUTES_BUCKETS = { minutes: { perSecond: 5 } } as const;

/** Minutes codes: 2091003 = still transcribing (not ready yet). */
export const MINUTE_NOT_READY_CODE = 2091003;

/** A minute's basic information (`GET minutes/v1/minutes/:token`). */
export interface MinuteInfo {
  /** Minute token. */
  token: string;
  /** Title (usually the meeting topic). */
  title: string;
  /** Owner's id (type per `user_id_type`). */
  ownerId?: string;
  /** Creation time, ms epoch. */
  createTimeMs?: number;
  /** Duration, ms. */
  durationMs?: number;
  /** Minute page URL. */
  url?: string;
  /** Cover image URL. */
  cover?: string;
}

/** Options of one minutes call. */
export interface MinutesCallOptions {
  /** Credentials: a user token (minutes the user can read) or the tenant token (the app needs access). */
  auth?: AuthProvider;
  /** `user_id_type` for `ownerId` (default `open_id`). */
  userIdType?: "open_id" | "union_id" | "user_id";
  /** Cancel the call. */
  signal?: AbortSignal;
  /** Business ids for logs. */
  ids?: Record<string, unknown>;
}

/**
 * Feishu Minutes: the minute's title and its media download URL, both in the
 * `minutes` rate bucket (5/s). Failures are typed `LarkError`s (2091005 no
 * permission → `PermissionError`, 2091002 → `NotFoundError`, 2091003 not
 * ready: check `code === MINUTE_NOT_READY_CODE`).
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import type { AuthProvider } from "../auth/auth_provider.ts";
 *
 * declare const http: LarkHttp;
 * declare const token: string, auth: AuthProvider;
 * const minutes = new MinutesApi(http);
 * const { title } = await minutes.getMinute(token, { auth });
 * const url = await minutes.getMediaUrl(token, { auth }); // valid for 1 day
 * ```
 */
export class MinutesApi {
  #http: LarkHttp;

  /** Use `http` (its default auth applies when a call names none). */
  constructor(http: LarkHttp) {
    this.#http = http;
  }

  /** `GET /open-apis/minutes/v1/minutes/:minute_token`. */
  async getMinute(token: string, o: MinutesCallOptions = {}): Promise<MinuteInfo> {
    const res = await this.#http.request<{ minute?: Record<string, unknown> }>({
      path: `/open-apis/minutes/v1/minutes/${encodeURIComponent(token)}`,
      query: { user_id_type: o.userIdType ?? "open_id" },
      auth: o.auth,
      bucket: "minutes",
      step: "minutes_get",
      signal: o.signal,
      ids: { minute_token: token, ...o.ids },
    });
    const m = res.data?.minute ?? {};
    return {
      token: str(m.token) ?? token,
      title: str(m.title) ?? "",
      ownerId: str(m.owner_id),
      createTimeMs: num(m.create_time),
      durationMs: num(m.duration),
      url: str(m.url),
      cover: str(m.cover),
    };
  }

  /**
   * `GET /open-apis/minutes/v1/minutes/:minute_token/media` → the pre-signed
   * `download_url` (valid 1 day). Needs `minutes:minutes.media:export`.
   */
  async getMediaUrl(token: string, o: MinutesCallOptions = {}): Promise<string> {
    const res = await this.#http.request<{ download_url?: string }>({
      path: `/open-apis/minutes/v1/minutes/${encodeURIComponent(token)}/media`,
      auth: o.auth,
      bucket: "minutes",
      step: "minutes_media",
      signal: o.signal,
      ids: { minute_token: token, ...o.ids },
    });
    const url = res.data?.download_url;
    if (!url) {
      throw new LarkError("minutes media response has no download_url", {
        requestId: res.requestId,
        logId: res.logId,
        endpoint: "minutes_media",
        hint: "妙记媒体接口没有返回下载地址：请稍后重试，或确认已开通 minutes:minutes.media:export 权限。",
      });
    }
    return url;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function num(v: unknown): number | undefined {
  const n = typeof v === "string" && v !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}
