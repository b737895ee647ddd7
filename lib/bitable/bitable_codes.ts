import { type CodeInfo, defineErrorCodes } from "../errors/error_codes.ts";

/**
 * Base (bitable v1) business codes, most of them answered with HTTP 200 so only
 * the code tells a failure apart (error tables of
 * open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/create and
 * update/search/batch_*). 1254290 / 1254291 (throttling, write conflict) are in the
 * core table. Classified by the core on import.
 */
export const BITABLE_ERROR_CODES: Readonly<Record<number, CodeInfo>> = {
  1254000: { kind: "bad_request", hint: "多维表格请求体不是合法 JSON：这是程序缺陷，请反馈。" },
  1254001: { kind: "bad_request", hint: "多维表格请求体有误，请检查字段与取值。" },
  1254002: { kind: "server", hint: "多维表格内部错误，已自动重试。" },
  1254003: { kind: "bad_request", hint: "app_token 格式错误：请从多维表格链接 /base/<app_token> 中复制。" },
  1254004: { kind: "bad_request", hint: "table_id 错误：请核对数据表 ID（tbl 开头）。" },
  1254005: { kind: "bad_request", hint: "view_id 错误：请核对视图 ID（vew 开头）。" },
  1254006: { kind: "bad_request", hint: "record_id 错误：请核对记录 ID（rec 开头）。" },
  1254040: { kind: "not_found", hint: "多维表格不存在（app_token 未找到），请核对链接或确认未被删除。" },
  1254041: { kind: "not_found", hint: "数据表不存在（table_id 未找到）。" },
  1254042: { kind: "not_found", hint: "视图不存在（view_id 未找到）。" },
  1254043: { kind: "not_found", hint: "记录不存在（record_id 未找到），可能已被删除。" },
  1254044: { kind: "not_found", hint: "字段不存在（field_id 未找到）。" },
  1254045: { kind: "bad_request", hint: "字段名不存在：请核对多维表格中的字段名（区分大小写与空格）。" },
  1254060: { kind: "bad_request", hint: "文本字段的取值格式错误。" },
  1254061: { kind: "bad_request", hint: "数字字段的取值格式错误。" },
  1254064: { kind: "bad_request", hint: "日期字段的取值格式错误（应为毫秒时间戳）。" },
  1254066: {
    kind: "bad_request",
    hint: "人员字段取值错误：检查 user_id_type 与 ID 是否匹配，open_id 不可跨应用使用。",
  },
  1254103: { kind: "bad_request", hint: "数据表记录数已达上限（20,000 条，随套餐不同）。" },
  1254104: { kind: "bad_request", hint: "单次写入的记录过多，请分批写入。" },
  1254130: { kind: "bad_request", hint: "单元格内容过大，请缩短内容。" },
  1254302: {
    kind: "permission",
    hint: "没有多维表格的访问权限：若开启了高级权限，请把应用所在的群加入可读写的角色。",
  },
  1254607: { kind: "server", hint: "多维表格数据尚未就绪，已自动重试。" },
  1255001: { kind: "server", hint: "多维表格内部错误，已自动重试。" },
  1255040: { kind: "server", hint: "多维表格请求超时，已自动重试。" },
};

defineErrorCodes(BITABLE_ERROR_CODES);
