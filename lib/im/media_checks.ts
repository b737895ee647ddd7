/**
 * Checks of uploads before any request (im/v1 images and files,
 * open.feishu.cn/document/server-docs/im-v1/image/create and .../file/create):
 * images are JPEG, PNG, WEBP, GIF, TIFF, BMP or ICO by their magic bytes,
 * non-empty and ≤ 10 MB; files are non-empty, ≤ 30 MB, with a `file_type`
 * of opus, mp4, pdf, doc, xls, ppt or stream.
 *
 * @module
 */
import { ImFieldError } from "./im_field_error.ts";

/** Image formats recognised by their first bytes. */
export type ImageFormat = "jpeg" | "png" | "webp" | "gif" | "tiff" | "bmp" | "ico";

/** `file_type`s of the file upload. */
export type FileType = "opus" | "mp4" | "pdf" | "doc" | "xls" | "ppt" | "stream";

/** The documented `file_type` list. */
export const FILE_TYPES: readonly FileType[] = ["opus", "mp4", "pdf", "doc", "xls", "ppt", "stream"];

/** Largest image upload, bytes (10 MB). */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
/** Largest file upload, bytes (30 MB). */
export const FILE_MAX_BYTES = 30 * 1024 * 1024;

const ascii = (b: Uint8Array, at: number, s: string) =>
  [...s].every((ch, i) => b[at + i] === ch.charCodeAt(0));

/** The image format of `bytes` by magic number, or `undefined`. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) {
    return "png";
  }
  if (b.length >= 6 && (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a"))) return "gif";
  if (b.length >= 12 && ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "webp";
  if (
    b.length >= 4 &&
    ((ascii(b, 0, "II") && b[2] === 42 && b[3] === 0) || (ascii(b, 0, "MM") && b[2] === 0 && b[3] === 42))
  ) {
    return "tiff";
  }
  if (b.length >= 6 && ascii(b, 0, "BM")) return "bmp";
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0) return "ico";
  return undefined;
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

/** Check an image upload; returns its format. */
export function checkImage(bytes: Uint8Array): ImageFormat {
  if (bytes.length === 0) throw new ImFieldError("image", "empty image", "图片为空（0 字节），请检查文件。");
  if (bytes.length > IMAGE_MAX_BYTES) {
    throw new ImFieldError(
      "image",
      `image is ${bytes.length} bytes, over 10 MB`,
      `图片 ${mb(bytes.length)} MB，超过 10 MB 上限，请压缩后再上传。`,
    );
  }
  const format = detectImageFormat(bytes);
  if (!format) {
    throw new ImFieldError(
      "image",
      "unrecognised image format",
      "无法识别的图片格式：仅支持 JPEG、PNG、WEBP、GIF、TIFF、BMP、ICO。",
    );
  }
  return format;
}

/** Check a file upload. */
export function checkFile(bytes: Uint8Array, fileType: string, fileName: string): void {
  if (!(FILE_TYPES as readonly string[]).includes(fileType)) {
    throw new ImFieldError(
      "fileType",
      `unknown file_type ${fileType}`,
      `不支持的文件类型 ${fileType}：可选 ${FILE_TYPES.join("、")}（其他文件用 stream）。`,
    );
  }
  if (typeof fileName !== "string" || fileName.trim() === "") {
    throw new ImFieldError("fileName", "file name required", "文件名不能为空（需带扩展名）。");
  }
  if (bytes.length === 0) throw new ImFieldError("file", "empty file", "文件为空（0 字节），请检查文件。");
  if (bytes.length > FILE_MAX_BYTES) {
    throw new ImFieldError(
      "file",
      `file is ${bytes.length} bytes, over 30 MB`,
      `文件 ${mb(bytes.length)} MB，超过 30 MB 上限。`,
    );
  }
}

/** The `file_type` for a file name: by extension, `stream` for anything else. */
export function fileTypeFor(fileName: string): FileType {
  const ext = fileName.toLowerCase().split(".").pop() ?? "";
  const map: Record<string, FileType> = {
    opus: "opus",
    mp4: "mp4",
    pdf: "pdf",
    doc: "doc",
    docx: "doc",
    xls: "xls",
    xlsx: "xls",
    ppt: "ppt",
    pptx: "ppt",
  };
  return map[ext] ?? "stream";
}
