import { type CodeInfo, defineErrorCodes } from "../errors/error_codes.ts";

/**
 * Sheets (v2/v3) business codes, 902xx (the server error-code page
 * open.feishu.cn/document/ukTMukTMukTM/ugjM14COyUjL4ITN). Classified by the core on import.
 */
export const SHEETS_ERROR_CODES: Readonly<Record<number, CodeInfo>> = {
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

defineErrorCodes(SHEETS_ERROR_CODES);
