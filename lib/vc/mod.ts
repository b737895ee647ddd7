/**
 * Video conferencing (VC): the recording of a meeting, with "not ready yet"
 * as a distinguishable result for pollers.
 *
 * @example
 * ```ts
 * import { RecordingApi } from "./mod.ts";
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * const rec = await new RecordingApi(http).getRecording("6911188411932033028");
 * if (!rec.ready) console.log("still generating", rec.code);
 * ```
 *
 * @module
 */
export * from "./recording_api.ts";
