import type { AuthProvider } from "../auth/auth_provider.ts";
import { downloadFile, type DownloadProgress, type DownloadResult } from "../download/download_file.ts";
import { LarkError } from "../errors/lark_error.ts";
import { ParamError } from "../errors/param_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";
import type { RateLimiter } from "../rate_limit/rate_limiter.ts";
import { requireInt, requireOneOf, requireText, requireToken } from "../validate/checks.ts";
import "./drive_codes.ts";

/** Rate buckets of the media APIs (documented "special"; 5/s used, sandbox/UNCONFIRMED.md). */
export const DRIVE_MEDIA_BUCKETS = {
  drive_media_upload: { perSecond: 5 },
  drive_media_download: { perSecond: 5 },
} as const;

/** Largest file `upload_all` takes (20 MB); larger files go in parts. */
export const UPLOAD_ALL_MAX_BYTES = 20 * 1024 * 1024;

/** Where an uploaded media file belongs (`parent_type`). */
export const MEDIA_PARENT_TYPES = [
  "doc_image",
  "docx_image",
  "sheet_image",
  "doc_file",
  "docx_file",
  "sheet_file",
  "vc_virtual_background",
  "bitable_image",
  "bitable_file",
  "moments",
  "ccm_import_open",
  "calendar",
  "base_global",
] as const;
/** A `parent_type`. */
export type MediaParentType = (typeof MEDIA_PARENT_TYPES)[number];

/** What to upload. */
export interface MediaUploadInput {
  /** A local path (read from disk part by part) or the bytes. */
  file: string | Uint8Array;
  /** File name shown in Feishu (≤ 250 chars). */
  fileName: string;
  /** Where it belongs, e.g. `docx_image` for an image block. */
  parentType: MediaParentType;
  /** The owner: for `docx_image`/`docx_file` the block id, for sheets the sheet token, for Base the app token. */
  parentNode: string;
  /** Optional `extra` (e.g. `{"drive_route_token": "<doc id>"}` for docs in another tenant's drive). */
  extra?: string;
}

/** Options of {@linkcode MediaApi}. */
export interface MediaApiOptions {
  /** Credentials for downloads (the same provider the client uses); uploads go through the client. */
  auth?: AuthProvider;
  /** The client's limiter, so downloads take the `drive_media_download` bucket too. */
  limiter?: RateLimiter;
  /** `fetch` for downloads (default the global one). */
  fetch?: typeof fetch;
}

/** Options of one call. */
export interface MediaCallOptions {
  /** Credentials; default the client's (uploads) or the API's (downloads). */
  auth?: AuthProvider;
  /** Cancel (a download keeps its `.part` for a later resume). */
  signal?: AbortSignal;
}

/**
 * Media of cloud documents: upload (≤ 20 MB in one `upload_all` call, larger
 * files through `upload_prepare` / `upload_part` / `upload_finish`, read from
 * disk one part at a time) returning the file token, and download streamed to
 * disk with `Range` resume (lib/download).
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import type { AuthProvider } from "../auth/auth_provider.ts";
 *
 * declare const http: LarkHttp;
 * declare const auth: AuthProvider, blockId: string;
 * const media = new MediaApi(http, { auth });
 * const token = await media.upload({ file: "./chart.png", fileName: "chart.png", parentType: "docx_image", parentNode: blockId });
 * await media.download(token, "./out/chart.png");
 * ```
 */
export class MediaApi {
  #http: LarkHttp;
  #o: MediaApiOptions;

  /** Use `http` (uploads) and `o.auth` (downloads). */
  constructor(http: LarkHttp, o: MediaApiOptions = {}) {
    this.#http = http;
    this.#o = o;
  }

  /** Upload and return the file token. */
  async upload(input: MediaUploadInput, o: MediaCallOptions = {}): Promise<string> {
    const fileName = requireText("fileName", input?.fileName, 250);
    const parentType = requireOneOf("parentType", input.parentType, MEDIA_PARENT_TYPES);
    const parentNode = requireText("parentNode", input.parentNode, 256);
    if (typeof input.file !== "string" && !(input.file instanceof Uint8Array)) {
      throw new ParamError("file", "应为本地文件路径或 Uint8Array");
    }
    const size = typeof input.file === "string" ? await fileSize(input.file) : input.file.byteLength;
    if (size === 0) throw new ParamError("file", "文件为空（0 字节）");
    const meta = { fileName, parentType, parentNode, extra: input.extra, size };
    if (size <= UPLOAD_ALL_MAX_BYTES) {
      const bytes = typeof input.file === "string" ? await Deno.readFile(input.file) : input.file;
      return await this.#uploadAll(meta, bytes, o);
    }
    return await this.#uploadInParts(meta, input.file, o);
  }

  /**
   * Download a media file to `dest` (`GET /open-apis/drive/v1/medias/:file_token/download`),
   * streamed into `<dest>.part` and resumed with `Range` after an interruption
   * or a restart. A deleted or unknown token is a `NotFoundError`.
   */
  async download(
    fileToken: string,
    dest: string,
    o: MediaCallOptions & { extra?: string; onProgress?: (p: DownloadProgress) => void } = {},
  ): Promise<DownloadResult> {
    requireToken("fileToken", fileToken);
    requireText("dest", dest);
    const auth = o.auth ?? this.#o.auth;
    if (!auth) throw new ParamError("auth", "下载素材需要凭证：请在 MediaApi 选项或本次调用中提供 auth");
    const path = `/open-apis/drive/v1/medias/${fileToken}/download`;
    const url = new URL(this.#http.baseUrl + path);
    if (o.extra !== undefined) url.searchParams.set("extra", o.extra);
    await this.#o.limiter?.acquire(["global", "drive_media_download"], o.signal);
    return await downloadFile({
      url: url.toString(),
      dest,
      headers: await auth.headers(o.signal),
      signal: o.signal,
      fetch: this.#o.fetch,
      onProgress: o.onProgress,
      maxRefreshes: 1,
      // A JSON error or 403/404 instead of the file: ask the API through the
      // client so the answer becomes its typed error (1061003 → NotFoundError…).
      refreshUrl: async () => {
        const { response } = await this.#http.stream({
          path,
          query: { extra: o.extra },
          headers: { Range: "bytes=0-0" },
          auth,
          bucket: "drive_media_download",
          step: "drive_media_probe",
          signal: o.signal,
          ids: { file_token: fileToken },
        });
        await response.body?.cancel();
        return url.toString();
      },
    });
  }

  async #uploadAll(m: UploadMeta, bytes: Uint8Array, o: MediaCallOptions): Promise<string> {
    const form = new FormData();
    form.set("file_name", m.fileName);
    form.set("parent_type", m.parentType);
    form.set("parent_node", m.parentNode);
    form.set("size", String(m.size));
    if (m.extra !== undefined) form.set("extra", m.extra);
    form.set("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), m.fileName);
    const { data, requestId } = await this.#http.request<{ file_token?: string }>({
      method: "POST",
      path: "/open-apis/drive/v1/medias/upload_all",
      body: form,
      ...common(o, "drive_media_upload_all", m),
    });
    return tokenOf(data?.file_token, requestId);
  }

  async #uploadInParts(m: UploadMeta, file: string | Uint8Array, o: MediaCallOptions): Promise<string> {
    const { data: prep } = await this.#http.request<
      { upload_id?: string; block_size?: number; block_num?: number }
    >({
      method: "POST",
      path: "/open-apis/drive/v1/medias/upload_prepare",
      body: {
        file_name: m.fileName,
        parent_type: m.parentType,
        parent_node: m.parentNode,
        size: m.size,
        extra: m.extra,
      },
      ...common(o, "drive_media_upload_prepare", m),
    });
    const uploadId = requireText("upload_id", prep?.upload_id);
    const blockSize = requireInt("block_size", prep?.block_size, 1, 1 << 30);
    const blockNum = Math.ceil(m.size / blockSize);
    if (prep?.block_num !== undefined && prep.block_num !== blockNum) {
      throw new LarkError(`upload_prepare block_num ${prep.block_num}, expected ${blockNum}`, {
        hint: "分片上传的分片数与文件大小不符，请重试。",
      });
    }
    const handle = typeof file === "string" ? await Deno.open(file, { read: true }) : undefined;
    try {
      for (let seq = 0; seq < blockNum; seq++) {
        const start = seq * blockSize;
        const length = Math.min(blockSize, m.size - start);
        const chunk = handle
          ? await readAt(handle, start, length)
          : (file as Uint8Array).subarray(start, start + length);
        const form = new FormData();
        form.set("upload_id", uploadId);
        form.set("seq", String(seq));
        form.set("size", String(length));
        form.set("file", new Blob([chunk as Uint8Array<ArrayBuffer>]), m.fileName);
        await this.#http.request({
          method: "POST",
          path: "/open-apis/drive/v1/medias/upload_part",
          body: form,
          ...common(o, "drive_media_upload_part", m),
        });
      }
    } finally {
      handle?.close();
    }
    const { data, requestId } = await this.#http.request<{ file_token?: string }>({
      method: "POST",
      path: "/open-apis/drive/v1/medias/upload_finish",
      body: { upload_id: uploadId, block_num: blockNum },
      ...common(o, "drive_media_upload_finish", m),
    });
    return tokenOf(data?.file_token, requestId);
  }
}

interface UploadMeta {
  fileName: string;
  parentType: string;
  parentNode: string;
  extra?: string;
  size: number;
}

function common(o: MediaCallOptions, step: string, m: UploadMeta) {
  return {
    auth: o.auth,
    signal: o.signal,
    bucket: "drive_media_upload",
    step,
    ids: { parent_type: m.parentType, parent_node: m.parentNode },
  };
}

function tokenOf(token: string | undefined, requestId: string): string {
  if (!token) {
    throw new LarkError("upload answer has no file_token", {
      requestId,
      hint: "上传接口没有返回 file_token，请重试。",
    });
  }
  return token;
}

async function fileSize(path: string): Promise<number> {
  try {
    const st = await Deno.stat(path);
    if (!st.isFile) throw new ParamError("file", `不是文件：${path}`);
    return st.size;
  } catch (e) {
    if (e instanceof ParamError) throw e;
    throw new ParamError("file", `无法读取文件：${path}`, { cause: e });
  }
}

async function readAt(file: Deno.FsFile, start: number, length: number): Promise<Uint8Array> {
  await file.seek(start, Deno.SeekMode.Start);
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = await file.read(buf.subarray(got));
    if (n === null) throw new ParamError("file", "文件在上传过程中变短了");
    got += n;
  }
  return buf;
}
