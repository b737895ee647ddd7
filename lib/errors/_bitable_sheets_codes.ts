import type { CodeInfo } from "./error_codes.ts";

/**
 * Base (bitable v1) and Sheets (v2/v3) business codes. Base codes mostly come
 * with HTTP 200, so only the code tells a failure apart. Sources: the error
 * tables of open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/create
 * (and update/search/batch_*), and the server error-code page
 * open.feishu.cn/document/ukTMukTMukTM/ugjM14COyUjL4ITN (sheets 902xx).
 * 1254290 / 1254291 (throttling, write conflict) are in the main table.
 */
export const BITABLE_SHEETS_CODES: Readonly<Record<number, CodeInfo>> = {
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
  90202: { kind: "bad_request", hint: "表格范围（range）格式错误：应为 <sheetId>!A1:C10。" },
  90204: { kind: "bad_request", hint: "电子表格请求体有误，请检查参数。" },
  90211: { kind: "bad_request", hint: "sheetId 错误，请核对工作表 ID。" },
  90212: { kind: "bad_request", hint: "行列参数非法，请检查行号、列号与数量。" },
  90213: { kind: "permission", hint: "没有该电子表格的权限：请把应用或用户加为协作者。" },
  90214: { kind: "not_found", hint: "电子表格不存在，请核对 spreadsheet token。" },
  90215: { kind: "not_found", hint: "工作表不存在（sheetId 未找到）。" },
  90217: { kind: "rate_limit", hint: "电子表格请求过于频繁，已等待后重试。" },
  90218: { kind: "permission", hint: "单元格被保护，没有编辑权限。" },
  90219: { kind: "bad_request", hint: "单元格数量超出限制（单次 5000 行 × 100 列）。" },
  90221: { kind: "bad_request", hint: "返回数据过大（上限 10 MB），请缩小读取范围。" },
  90222: { kind: "bad_request", hint: "单元格内容过大（上限 50,000 字符）。" },
  90227: { kind: "bad_request", hint: "请求过大，请减少单次写入的数据量。" },
  90235: { kind: "server", hint: "电子表格服务繁忙，已自动重试。" },
};
