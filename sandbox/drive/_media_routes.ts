/**
 * Media of cloud documents (open.feishu.cn/document/server-docs/docs/drive-v1/media/…), tenant token:
 * - `POST /open-apis/drive/v1/medias/upload_all` (multipart: `file_name` ≤ 250, `parent_type`,
 *   `parent_node`, `size` ≤ 20 MB, `extra?`, `file`) → `data.file_token`;
 * - `POST …/upload_prepare {file_name, parent_type, parent_node, size, extra?}` →
 *   `data.{upload_id, block_size (4 MB), block_num}`;
 * - `POST …/upload_part` (multipart: `upload_id`, `seq` 0-based, `size`, `file`) → `data: {}`;
 * - `POST …/upload_finish {upload_id, block_num}` → `data.file_token`;
 * - `GET …/medias/:file_token/download` → the bytes (200/206 with `Range`, 416), from disk.
 *
 * Codes (the pages' error tables): 1061002 params error [400], 1061003 not found [404],
 * 1061021 upload id expire [400], 1061043 file size beyond limit [400], 1061044 parent
 * node not exist [400], 1062009 size mismatch [400], 1062010 block missing [400],
 * 1062011 block num out of bounds [400]; a deleted file's 1061007 [404] UNCONFIRMED.
 *
 * @module
 */
import { jsonObject } from "../_json_body.ts";
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit, requireTenantToken } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { newLogId, openApiError, sendJson } from "../_respond.ts";
import type { DocsFamily } from "../docx/family.ts";
import type { SandboxState } from "../state.ts";
import { fileRangeResponse } from "./_file_range.ts";
import { DRIVE_PATHS } from "./endpoints.ts";

/** Largest `upload_all` file (20 MB). */
export const UPLOAD_ALL_MAX = 20 * 1024 * 1024;
/** Part size `upload_prepare` hands out (4 MB). */
export const UPLOAD_BLOCK_SIZE = 4 * 1024 * 1024;
/** Accepted `parent_type` values. */
export const PARENT_TYPES = [
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
  "lark_ai_media_analysis",
];

/** Register the media endpoints. */
export function registerMediaRoutes(app: SandboxApp, state: SandboxState, fam: DocsFamily): void {
  app.post(DRIVE_PATHS.uploadAll, endpoint(state, "drive_media_upload_all"), (c) => uploadAll(c, state, fam));
  app.post(
    DRIVE_PATHS.uploadPrepare,
    endpoint(state, "drive_media_upload_prepare"),
    (c) => prepare(c, state, fam),
  );
  app.post(DRIVE_PATHS.uploadPart, endpoint(state, "drive_media_upload_part"), (c) => part(c, state, fam));
  app.post(
    DRIVE_PATHS.uploadFinish,
    endpoint(state, "drive_media_upload_finish"),
    (c) => finish(c, state, fam),
  );
  app.get(DRIVE_PATHS.download, endpoint(state, "drive_media_download"), (c) => download(c, state, fam));
}

function guard(c: SandboxContext, state: SandboxState): string | Response {
  const caller = requireTenantToken(c, state);
  if (caller instanceof Response) return caller;
  return enforceRateLimit(c, state, caller.appId) ?? caller.appId;
}

const bad = (c: SandboxContext, state: SandboxState, what: string) =>
  openApiError(c, state.clock, 400, 1061002, `params error: ${what}`);

interface Meta {
  name: string;
  parentType: string;
  parentNode: string;
  size: number;
}

/** Check the upload metadata; the metadata or the refusing answer. */
function checkMeta(
  c: SandboxContext,
  state: SandboxState,
  fam: DocsFamily,
  raw: Record<string, unknown>,
): Meta | Response {
  const name = raw.file_name;
  if (typeof name !== "string" || name === "" || [...name].length > 250) return bad(c, state, "file_name");
  const parentType = raw.parent_type;
  if (typeof parentType !== "string" || !PARENT_TYPES.includes(parentType)) {
    return bad(c, state, "parent_type");
  }
  const parentNode = raw.parent_node;
  if (typeof parentNode !== "string" || parentNode === "") return bad(c, state, "parent_node");
  if (parentType.startsWith("docx_") && !fam.docs.documentOfBlock(parentNode)) {
    return openApiError(c, state.clock, 400, 1061044, "parent node not exist");
  }
  const size = Number(raw.size);
  if (!Number.isInteger(size) || size <= 0) return bad(c, state, "size");
  return { name, parentType, parentNode, size };
}

async function form(c: SandboxContext): Promise<FormData | undefined> {
  try {
    return await c.req.formData();
  } catch {
    return undefined;
  }
}

async function fileBytes(f: FormData): Promise<Uint8Array | undefined> {
  const file = f.get("file");
  return file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : undefined;
}

async function uploadAll(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  // Refuse an oversized body before reading it (upload_all takes ≤ 20 MB).
  const length = Number(c.req.header("content-length") ?? "0");
  if (length > UPLOAD_ALL_MAX + 64 * 1024) {
    return openApiError(c, state.clock, 400, 1061043, "file size beyond limit");
  }
  const f = await form(c);
  if (!f) return bad(c, state, "multipart/form-data body");
  const meta = checkMeta(
    c,
    state,
    fam,
    Object.fromEntries([...f.entries()].filter(([, v]) => typeof v === "string")),
  );
  if (meta instanceof Response) return meta;
  if (meta.size > UPLOAD_ALL_MAX) return openApiError(c, state.clock, 400, 1061043, "file size beyond limit");
  const bytes = await fileBytes(f);
  if (!bytes || bytes.byteLength !== meta.size) return bad(c, state, "size does not match the file");
  const stored = await fam.media.putBytes(meta, bytes);
  return sendJson(c, state.clock, { code: 0, msg: "success", data: { file_token: stored.token } });
}

async function prepare(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  const body = await jsonObject(c);
  if (!body) return bad(c, state, "JSON body");
  const meta = checkMeta(c, state, fam, body);
  if (meta instanceof Response) return meta;
  const blockNum = Math.ceil(meta.size / UPLOAD_BLOCK_SIZE);
  const up = fam.media.prepare({ ...meta, blockSize: UPLOAD_BLOCK_SIZE, blockNum });
  return sendJson(c, state.clock, {
    code: 0,
    msg: "success",
    data: { upload_id: up.id, block_size: up.blockSize, block_num: up.blockNum },
  });
}

async function part(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  const f = await form(c);
  if (!f) return bad(c, state, "multipart/form-data body");
  const up = fam.media.upload(String(f.get("upload_id") ?? ""));
  if (!up) return openApiError(c, state.clock, 400, 1061021, "upload id expire.");
  const seq = Number(f.get("seq"));
  if (!Number.isInteger(seq) || seq < 0) return bad(c, state, "seq");
  if (seq >= up.blockNum) return openApiError(c, state.clock, 400, 1062011, "block num out of bounds.");
  const expected = seq === up.blockNum - 1 ? up.size - seq * up.blockSize : up.blockSize;
  const bytes = await fileBytes(f);
  if (Number(f.get("size")) !== expected) return bad(c, state, "size");
  if (!bytes || bytes.byteLength !== expected) {
    const msg = "the actual size is inconsistent with the parameter declaration size.";
    return openApiError(c, state.clock, 400, 1062009, msg);
  }
  await fam.media.putPart(up, seq, bytes);
  return sendJson(c, state.clock, { code: 0, msg: "success", data: {} });
}

async function finish(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  const body = await jsonObject(c);
  if (!body) return bad(c, state, "JSON body");
  const up = fam.media.upload(String(body.upload_id ?? ""));
  if (!up) return openApiError(c, state.clock, 400, 1061021, "upload id expire.");
  if (body.block_num !== up.blockNum) return bad(c, state, "block_num");
  if (up.parts.size !== up.blockNum) {
    return openApiError(c, state.clock, 400, 1062010, "block missing, please upload all blocks.");
  }
  const stored = await fam.media.finish(up);
  return sendJson(c, state.clock, { code: 0, msg: "success", data: { file_token: stored.token } });
}

async function download(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  const m = fam.media.get(c.req.param("file_token") ?? "");
  if (!m) return openApiError(c, state.clock, 404, 1061003, "not found");
  if (m.deleted) return openApiError(c, state.clock, 404, 1061007, "file has been deleted");
  const entry = c.get("entry");
  if (entry) entry.code = 0;
  return await fileRangeResponse(m.path, m.size, c.req.header("range"), {
    "content-type": contentType(m.name),
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(m.name)}`,
    "x-tt-logid": newLogId(state.clock),
  });
}

function contentType(name: string): string {
  const ext = name.toLowerCase().split(".").pop() ?? "";
  const types: Record<string, string> = {
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
    pdf: "application/pdf",
    txt: "text/plain",
    mp4: "video/mp4",
  };
  return types[ext] ?? "application/octet-stream";
}
