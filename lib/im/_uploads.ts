/**
 * The messaging client's uploads (internal): image and file checked, sent as multipart,
 * answered with the key and the request id.
 *
 * @module
 */
import type { LarkHttp } from "../http/lark_http.ts";
import {
  checkFile,
  checkImage,
  FILE_MAX_BYTES,
  type FileType,
  fileTypeFor,
  IMAGE_MAX_BYTES,
} from "./media_checks.ts";
import type { MsgType, SendOptions, UploadedFile, UploadedImage } from "./message_types.ts";
import { basename, fileForm, imageForm, readLocal } from "./_message_helpers.ts";

/** Options of an image upload. */
export type ImageUploadOptions = SendOptions & { fileName?: string };
/** Options of a file upload. */
export type FileUploadOptions = SendOptions & { fileType?: FileType; durationMs?: number };

/** `POST /open-apis/im/v1/images` after the format and size checks. */
export async function uploadImageWith(
  http: LarkHttp,
  bytes: Uint8Array,
  o: ImageUploadOptions,
): Promise<UploadedImage> {
  const format = checkImage(bytes);
  const res = await http.request<{ image_key?: string }>({
    method: "POST",
    path: "/open-apis/im/v1/images",
    body: imageForm(bytes, o.fileName ?? `image.${format}`),
    auth: o.auth,
    bucket: "im_image_upload",
    step: "im_image_upload",
    signal: o.signal,
    ids: { bytes: bytes.length, ...o.ids },
  });
  return { imageKey: String(res.data?.image_key ?? ""), requestId: res.requestId };
}

/** `POST /open-apis/im/v1/files` after the type, name and size checks. */
export async function uploadFileWith(
  http: LarkHttp,
  bytes: Uint8Array,
  fileName: string,
  o: FileUploadOptions,
): Promise<UploadedFile> {
  const fileType = o.fileType ?? fileTypeFor(fileName);
  checkFile(bytes, fileType, fileName);
  const res = await http.request<{ file_key?: string }>({
    method: "POST",
    path: "/open-apis/im/v1/files",
    body: fileForm(bytes, fileName, fileType, o.durationMs),
    auth: o.auth,
    bucket: "im_file_upload",
    step: "im_file_upload",
    signal: o.signal,
    ids: { bytes: bytes.length, file_type: fileType, ...o.ids },
  });
  return { fileKey: String(res.data?.file_key ?? ""), requestId: res.requestId };
}

/**
 * Read a local image or file (size checked before reading) and upload it; answers the message
 * type and content to send it with (a file: opus → audio, mp4 → media, others → file).
 */
export async function uploadLocal(
  http: LarkHttp,
  path: string,
  kind: "image" | "file",
  o: SendOptions,
): Promise<{ msgType: MsgType; content: Record<string, string> }> {
  const name = basename(path);
  if (kind === "image") {
    const bytes = await readLocal(path, IMAGE_MAX_BYTES, "image");
    const { imageKey } = await uploadImageWith(http, bytes, { ...o, fileName: name });
    return { msgType: "image", content: { image_key: imageKey } };
  }
  const bytes = await readLocal(path, FILE_MAX_BYTES, "file");
  const fileType = fileTypeFor(name);
  const { fileKey } = await uploadFileWith(http, bytes, name, { ...o, fileType });
  const msgType: MsgType = fileType === "opus" ? "audio" : fileType === "mp4" ? "media" : "file";
  return { msgType, content: { file_key: fileKey } };
}
