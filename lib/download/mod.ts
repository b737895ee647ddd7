/**
 * Streaming downloads that survive interruptions: bytes go to `<dest>.part`
 * (memory stays flat whatever the size), an interruption or a restart resumes
 * with `Range`, the final length is checked, and the file is renamed into
 * place atomically. An expired link is replaced through a callback.
 *
 * @example
 * ```ts
 * import { downloadFile } from "./mod.ts";
 *
 * declare const url: string, getNewUrl: () => Promise<string>;
 * const r = await downloadFile({ url, dest: "/nas/张三/周会.mp4", refreshUrl: () => getNewUrl() });
 * console.log(r.bytes, r.resumes);
 * ```
 *
 * @module
 */
export * from "./download_error.ts";
export * from "./download_file.ts";
