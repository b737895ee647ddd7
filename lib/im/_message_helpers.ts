/**
 * Helpers of the messaging client (internal): result mapping, msg_type
 * check, multipart forms and reading a local file within a size limit.
 *
 * @module
 */
import { validateCardV2 } from "./card_builder.ts";
import { ImFieldError } from "./im_field_error.ts";
import type { FileType } from "./media_checks.ts";
import { MSG_TYPES, type MsgType, type SentMessage } from "./message_types.ts";

/** Map a message `data` object to a {@linkcode SentMessage}. */
export function sent(d: Record<string, unknown>, requestId?: string): SentMessage {
  const created = Number(d.create_time);
  return {
    messageId: String(d.message_id ?? ""),
    chatId: typeof d.chat_id === "string" ? d.chat_id : undefined,
    createTimeMs: Number.isFinite(created) ? created : undefined,
    msgType: typeof d.msg_type === "string" ? d.msg_type : undefined,
    threadId: typeof d.thread_id === "string" && d.thread_id ? d.thread_id : undefined,
    requestId,
  };
}

/** A card that can replace a sent one: a valid 2.0 card, or a 1.0 card declared shared. */
export function checkUpdatableCard(cardJson: object): void {
  if ((cardJson as { schema?: unknown }).schema !== undefined) validateCardV2(cardJson);
  else if ((cardJson as { config?: { update_multi?: unknown } }).config?.update_multi !== true) {
    throw new ImFieldError(
      "config.update_multi",
      "card must be shared",
      "要更新的卡片需在 config 中声明 update_multi: true（共享卡片）。",
    );
  }
}

/** Check a msg_type against `allowed`. */
export function checkMsgType(t: unknown, allowed: readonly string[] = MSG_TYPES): MsgType {
  if (typeof t !== "string" || !allowed.includes(t)) {
    throw new ImFieldError(
      "msgType",
      `msg_type ${JSON.stringify(t)} not allowed here`,
      `msgType 只能是 ${allowed.join("、")} 之一。`,
    );
  }
  return t as MsgType;
}

/** Multipart form of an image upload. */
export function imageForm(bytes: Uint8Array, name: string): FormData {
  const form = new FormData();
  form.set("image_type", "message");
  form.set("image", new Blob([bytes as BlobPart]), name);
  return form;
}

/** Multipart form of a file upload. */
export function fileForm(bytes: Uint8Array, name: string, fileType: FileType, durationMs?: number): FormData {
  const form = new FormData();
  form.set("file_type", fileType);
  form.set("file_name", name);
  if (durationMs !== undefined) form.set("duration", String(Math.round(durationMs)));
  form.set("file", new Blob([bytes as BlobPart]), name);
  return form;
}

/** Last path segment. */
export function basename(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** Read a local file after checking it exists and is not over `max` (so a huge file is never read). */
export async function readLocal(path: string, max: number, field: "image" | "file"): Promise<Uint8Array> {
  let size: number;
  try {
    const st = await Deno.stat(path);
    if (!st.isFile) throw new Error("not a file");
    size = st.size;
  } catch {
    throw new ImFieldError("path", `cannot read ${path}`, `找不到文件或无法读取：${path}`);
  }
  if (size > max) {
    const what = field === "image" ? "图片" : "文件";
    throw new ImFieldError(
      field,
      `${size} bytes, over ${max}`,
      `${what} ${(size / 1024 / 1024).toFixed(1)} MB，超过 ${max / 1024 / 1024} MB 上限。`,
    );
  }
  return await Deno.readFile(path);
}
