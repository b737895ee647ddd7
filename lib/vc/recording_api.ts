import type { AuthProvider } from "../auth/auth_provider.ts";
import { LarkError } from "../errors/lark_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";

/** Codes meaning "no recording yet": 124002 (being generated), 121004 (not found, e.g. not yet created). */
export const RECORDING_NOT_READY_CODES: ReadonlySet<number> = new Set([124002, 121004]);

/** Rate bucket of the recording API, with its documented budget (1000/min & 50/s). */
export const VC_BUCKETS = { vc_recording: { perSecond: 50, perMinute: 1000 } } as const;

/** Result of {@linkcode RecordingApi.getRecording}. */
export type RecordingResult =
  | {
    /** The recording exists. */
    ready: true;
    /** Recording URL, e.g. `https://meetings.feishu.cn/minutes/<minute_token>`. */
    url: string;
    /** Duration in ms (Feishu sends a string), when given. */
    durationMs?: number;
  }
  | {
    /** Not generated yet: poll again later. */
    ready: false;
    /** Feishu's code (124002 or 121004). */
    code: number;
    /** Feishu's message. */
    message: string;
  };

/** Options of one call. */
export interface RecordingCallOptions {
  /** Credentials for this call: a user token (only the meeting owner's meetings) or the app's tenant token. */
  auth?: AuthProvider;
  /** Cancel the call. */
  signal?: AbortSignal;
  /** Business ids for logs. */
  ids?: Record<string, unknown>;
}

/**
 * VC meeting recordings: `GET /open-apis/vc/v1/meetings/:meeting_id/recording`.
 * "Not ready yet" (124002 / 121004) is a result, `{ready: false}`, so a
 * poller can tell it from real failures, which are thrown as typed
 * `LarkError`s by the HTTP client (permission 121005, server errors, …).
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import type { TokenManager } from "../token/token_manager.ts";
 * import { minuteTokenFromUrl } from "../minutes/minute_token.ts";
 *
 * declare const http: LarkHttp;
 * declare const tokens: TokenManager, meetingId: string, appId: string, userId: string;
 * const rec = await new RecordingApi(http).getRecording(meetingId, { auth: tokens.userAuth(appId, userId) });
 * if (rec.ready) console.log(minuteTokenFromUrl(rec.url));
 * ```
 */
export class RecordingApi {
  #http: LarkHttp;

  /** Use `http` (its default auth applies when a call names none). */
  constructor(http: LarkHttp) {
    this.#http = http;
  }

  /** The meeting's recording, or `{ready: false}` while it is being generated. */
  async getRecording(meetingId: string, o: RecordingCallOptions = {}): Promise<RecordingResult> {
    try {
      const res = await this.#http.request<{ recording?: { url?: string; duration?: string | number } }>({
        path: `/open-apis/vc/v1/meetings/${encodeURIComponent(meetingId)}/recording`,
        auth: o.auth,
        bucket: "vc_recording",
        step: "vc_recording",
        signal: o.signal,
        ids: { meeting_id: meetingId, ...o.ids },
      });
      const url = res.data?.recording?.url;
      if (!url) return { ready: false, code: 0, message: "recording has no url yet" };
      const duration = Number(res.data?.recording?.duration);
      return { ready: true, url, durationMs: Number.isFinite(duration) ? duration : undefined };
    } catch (e) {
      if (e instanceof LarkError && e.code !== undefined && RECORDING_NOT_READY_CODES.has(e.code)) {
        return { ready: false, code: e.code, message: e.message };
      }
      throw e;
    }
  }
}
