import { type CodeInfo, defineErrorCodes } from "../errors/error_codes.ts";

/**
 * calendar v4 codes (error table of open.feishu.cn/document/server-docs/calendar-v4/calendar-event/list
 * and …/create: 190002 [400], 190003 [500], 190004/190005 [429], 191000 [404], 191001 [400],
 * 191002/191003 [403]). Registered with the core on import.
 */
export const CALENDAR_ERROR_CODES: Readonly<Record<number, CodeInfo>> = {
  190002: { kind: "bad_request", hint: "日历接口参数错误：请检查开始/结束时间与时区。" },
  190003: { kind: "server", hint: "飞书日历服务内部错误，已自动重试。" },
  190004: { kind: "rate_limit", hint: "日历接口限流（单个接口），已按重置时间等待后重试。" },
  190005: { kind: "rate_limit", hint: "日历接口限流（应用），已按重置时间等待后重试。" },
  191000: { kind: "not_found", hint: "日历不存在：请检查 calendar_id（主日历可先查询主日历 ID）。" },
  191001: { kind: "bad_request", hint: "calendar_id 无效：请检查日历 ID。" },
  191003: { kind: "not_found", hint: "日历已被删除。" },
  191002: { kind: "permission", hint: "没有该日历的访问权限：请让日历所有者把日历共享给应用。" },
};

defineErrorCodes(CALENDAR_ERROR_CODES);
