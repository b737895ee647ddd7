/**
 * One CLM export call and its delivery, as the export family records it.
 *
 * @module
 */

/** A validated export call. */
export interface ExportRequest {
  /** First ms (inclusive). */
  fromMs: number;
  /** Last ms (inclusive). */
  toMs: number;
  /** `Timezone-Offset` of the call (default -480). */
  tzOffset: number;
  /** Keyword filter ("" = none). */
  keyword: string;
  /** `searchTabEnumCode` as sent (ASSUMPTION: does not filter). */
  searchTabEnumCode?: number;
}

/** One export and its delivery. */
export interface ExportTask extends ExportRequest {
  /** Task id (19 digits). */
  taskId: string;
  /** When the call was made, ms. */
  requestedAt: number;
  /** Day of `fromMs` in the call's zone, `YYYY-MM-DD`. */
  startDate: string;
  /** Day of `toMs` in the call's zone. */
  endDate: string;
  /** Matching records. */
  total: number;
  /** Rows in the file: min(total, 1000). */
  rows: number;
  /** Notice text. */
  text: string;
  /** When the bot message appears, ms; `null` when the delivery was dropped. */
  deliverAt: number | null;
  /** Message id of the notice. */
  noticeMessageId: string;
  /** Message id of the file message (IM API: a reply to the notice). */
  fileMessageId: string;
  /** File key. */
  fileKey: string;
  /** File name, `协同操作记录_<taskId>.xlsx`. */
  fileName: string;
}
