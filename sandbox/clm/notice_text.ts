/**
 * The text of the 飞书合同 bot's "export finished" message, exactly as the
 * sandbox sends it (contract shared with the export pipeline):
 *
 * `协同操作记录导出完成：2024-03-01 至 2024-03-07，共 N 条`, and when N exceeds
 * the 1 000-row cap `，超出单次导出上限 1000 条，文件仅包含前 1000 条` appended.
 *
 * ASSUMPTION: the real bot's wording is unknown; this is the sandbox's.
 *
 * @module
 */
import { EXPORT_ROW_CAP } from "../scenarios/export/options.ts";

/** Prefix every notice starts with. */
export const NOTICE_PREFIX = "协同操作记录导出完成：";
/** Label of the download button under a notice. */
export const DOWNLOAD_LABEL = "下载文件";
/** Display name of the bot (and of its chat). */
export const BOT_NAME = "飞书合同";

/** The notice text for an export of `[start, end]` (`YYYY-MM-DD`) that matched `total` records. */
export function formatNoticeText(start: string, end: string, total: number, cap = EXPORT_ROW_CAP): string {
  const base = `${NOTICE_PREFIX}${start} 至 ${end}，共 ${total} 条`;
  return total > cap ? `${base}，超出单次导出上限 ${cap} 条，文件仅包含前 ${cap} 条` : base;
}
