/**
 * Multipart uploads for messages, tenant token only, with the codes of the
 * official pages (open.feishu.cn/document/server-docs/im-v1/image/create and
 * …/im-v1/file/create), all HTTP 400:
 *
 * - `POST /open-apis/im/v1/images`: form `image_type` ∈ message, avatar and
 *   `image`; empty → 234010; over 10 MB → 234006; not JPEG, PNG, WEBP, GIF,
 *   TIFF, BMP, ICO or HEIC by its magic bytes → 234011; other parameter
 *   errors → 234001. Answers `data.image_key` (`img_v3_…`).
 * - `POST /open-apis/im/v1/files`: form `file_type` ∈ opus, mp4, pdf, doc,
 *   xls, ppt, stream, `file_name`, optional `duration` (ms) and `file`;
 *   empty → 234010; over 30 MB → 234006; parameter errors → 234001.
 *   Answers `data.file_key` (`file_v3_…`).
 *
 * Uploads are kept in `imState(family).images` / `.files` for tests.
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import { randomHex } from "../events/event_crypto.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import { IM_FILES_PATH, IM_IMAGES_PATH } from "./endpoints.ts";
import { imState } from "./message_state.ts";

/** Largest image, bytes (10 MB). */
export const IMAGE_LIMIT_BYTES = 10 * 1024 * 1024;
/** Largest file, bytes (30 MB). */
export const FILE_LIMIT_BYTES = 30 * 1024 * 1024;
/** `file_type`s of the file upload. */
export const UPLOAD_FILE_TYPES = ["opus", "mp4", "pdf", "doc", "xls", "ppt", "stream"] as const;

/** Image format by magic bytes (the sandbox's own reading, independent of lib/im). */
export function sniffImage(b: Uint8Array): string | undefined {
  const at = (i: number, s: string) => [...s].every((ch, k) => b[i + k] === ch.charCodeAt(0));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b[0] === 0x89 && at(1, "PNG\r\n\x1a\n")) return "png";
  if (at(0, "GIF87a") || at(0, "GIF89a")) return "gif";
  if (at(0, "RIFF") && at(8, "WEBP")) return "webp";
  if ((at(0, "II") && b[2] === 0x2a && b[3] === 0) || (at(0, "MM") && b[2] === 0 && b[3] === 0x2a)) {
    return "tiff";
  }
  if (at(0, "BM") && b.length >= 14) return "bmp";
  if (b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0) return "ico";
  if (at(4, "ftypheic") || at(4, "ftypheix") || at(4, "ftypmif1")) return "heic";
  return undefined;
}

/** Register the image and file uploads. */
export function registerImUploadRoutes(app: SandboxApp, family: MeetingFamily): void {
  app.post(IM_IMAGES_PATH, endpoint(family.state, "im_image_create"), (c) => uploadImage(c, family));
  app.post(IM_FILES_PATH, endpoint(family.state, "im_file_create"), (c) => uploadFile(c, family));
}

const invalid = (c: SandboxContext, family: MeetingFamily, field: string, description: string) =>
  openApiError(c, family.state.clock, 400, 234001, "Invalid request param.", [{ field, description }]);

/** Auth, rate limit and the multipart form; the app id and form, or a Response. */
async function prologue(
  c: SandboxContext,
  family: MeetingFamily,
): Promise<{ appId: string; form: FormData } | Response> {
  const caller = requireCaller(c, family, { tenant: true, user: false });
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, family.state, caller.appId);
  if (limited) return limited;
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    return invalid(c, family, "content-type", "request must be multipart/form-data");
  }
  try {
    return { appId: caller.appId, form: await c.req.raw.formData() };
  } catch {
    return invalid(c, family, "body", "malformed multipart body");
  }
}

async function fileBytes(form: FormData, name: string): Promise<Uint8Array | undefined> {
  const v = form.get(name);
  return v instanceof File ? new Uint8Array(await v.arrayBuffer()) : undefined;
}

async function uploadImage(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const p = await prologue(c, family);
  if (p instanceof Response) return p;
  const clock = family.state.clock;
  const imageType = p.form.get("image_type");
  if (imageType !== "message" && imageType !== "avatar") {
    return invalid(c, family, "image_type", "image_type must be message or avatar");
  }
  const bytes = await fileBytes(p.form, "image");
  if (!bytes) return invalid(c, family, "image", "image file is required");
  if (bytes.length === 0) return openApiError(c, clock, 400, 234010, "File's size can't be 0.");
  if (bytes.length > IMAGE_LIMIT_BYTES) {
    return openApiError(c, clock, 400, 234006, "The file size exceed the max value.");
  }
  const format = sniffImage(bytes);
  if (!format) return openApiError(c, clock, 400, 234011, "Can't regonnize the image format.");
  const imageKey = `img_v3_${randomHex(24)}`;
  imState(family).images.set(imageKey, { imageKey, appId: p.appId, format, bytes, imageType });
  return sendJson(c, clock, { code: 0, msg: "success", data: { image_key: imageKey } });
}

async function uploadFile(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const p = await prologue(c, family);
  if (p instanceof Response) return p;
  const clock = family.state.clock;
  const fileType = p.form.get("file_type");
  if (typeof fileType !== "string" || !(UPLOAD_FILE_TYPES as readonly string[]).includes(fileType)) {
    return invalid(c, family, "file_type", `file_type must be one of ${UPLOAD_FILE_TYPES.join(", ")}`);
  }
  const fileName = p.form.get("file_name");
  if (typeof fileName !== "string" || fileName.trim() === "") {
    return invalid(c, family, "file_name", "file_name is required");
  }
  const durationRaw = p.form.get("duration");
  let durationMs: number | undefined;
  if (durationRaw !== null) {
    durationMs = Number(durationRaw);
    if (typeof durationRaw !== "string" || !Number.isInteger(durationMs) || durationMs < 0) {
      return invalid(c, family, "duration", "duration must be a non-negative integer (ms)");
    }
  }
  const bytes = await fileBytes(p.form, "file");
  if (!bytes) return invalid(c, family, "file", "file is required");
  if (bytes.length === 0) return openApiError(c, clock, 400, 234010, "File's size can't be 0.");
  if (bytes.length > FILE_LIMIT_BYTES) {
    return openApiError(c, clock, 400, 234006, "The file size exceed the max value.");
  }
  const fileKey = `file_v3_${randomHex(24)}`;
  imState(family).files.set(fileKey, { fileKey, appId: p.appId, fileType, fileName, durationMs, bytes });
  return sendJson(c, clock, { code: 0, msg: "success", data: { file_key: fileKey } });
}
