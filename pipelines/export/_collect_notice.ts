/**
 * Turn a message into an {@linkcode ExportNotice} (internal), with the
 * pipeline's text parser (`notice_parse.ts`). `truncated` is `false` when the
 * text declares a total without a truncation remark.
 *
 * @module
 */
import type { ExportNotice } from "./collector.ts";
import { parseNoticeText } from "./notice_parse.ts";

/** Default test for "this message is an export notice". */
export const NOTICE_PATTERN = /导出完成/;

/** A notice from raw message facts, or `undefined` when `text` is not one (per `pattern`). */
export function toNotice(
  messageId: string,
  text: string,
  sentAt: number,
  pattern: RegExp = NOTICE_PATTERN,
): ExportNotice | undefined {
  if (!pattern.test(text)) return undefined;
  const p = parseNoticeText(text);
  const notice: ExportNotice = { messageId, text, sentAt };
  if (p.range) notice.range = p.range;
  if (p.total !== undefined) notice.total = p.total;
  if (p.truncated !== undefined) notice.truncated = p.truncated;
  else if (p.total !== undefined) notice.truncated = false;
  return notice;
}
