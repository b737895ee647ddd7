import { type CodeInfo, defineErrorCodes } from "../errors/error_codes.ts";

/**
 * calendar v4 codes (error tables of open.feishu.cn/document/server-docs/calendar-v4/calendar-event/create
 * and …/list; UNCONFIRMED: sandbox/UNCONFIRMED.md). Registered with the core on import.
 */
export const CALENDAR_ERROR_CODES: Readonly<Record<number, CodeInfo>> = {
  190002: { kind: "bad_request", hint: "日历接口参数错误：请检查开始/结束时间与时区。" },
  190003: { kind: "server", hint: "飞书日历服务内部错误，已自动重试。" },
  191000: { kind: "not_found", hint: "日历不存在：请检查 calendar_id（主日历可先查询主日历 ID）。" },
  191002: { kind: "permission", hint: "没有该日历的访问权限：请让日历所有者把日历共享给应用。" },
};

defineErrorCodes(CALENDAR_ERROR_CODES);
