/**
 * Feishu Minutes (妙记): the minute token of a recording URL, a minute's
 * title, and its media download URL (rate bucket `minutes`, 5/s).
 *
 * @example
 * ```ts
 * import { MinutesApi, minuteTokenFromUrl } from "./mod.ts";
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * declare const recordingUrl: string;
 * const token = minuteTokenFromUrl(recordingUrl)!;
 * const api = new MinutesApi(http);
 * const { title } = await api.getMinute(token);
 * const downloadUrl = await api.getMediaUrl(token);
 * ```
 *
 * @module
 */
export * from "./minute_token.ts";
export * from "./minutes_api.ts";
