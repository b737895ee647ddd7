import { ParamError } from "../errors/param_error.ts";
import { type Fields, FILTER_OPERATORS, type SearchOptions } from "./types.ts";

/** Most records per batch_create / batch_update call (open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/batch_create). */
export const MAX_BATCH_WRITE = 1000;
/** Most records per batch_delete call (…/app-table-record/batch_delete). */
export const MAX_BATCH_DELETE = 500;
/** Largest search page (…/app-table-record/search). */
export const MAX_PAGE_SIZE = 500;
/** Most conditions in a search filter. */
export const MAX_CONDITIONS = 50;
/** Most values of one condition. */
export const MAX_CONDITION_VALUES = 10;
/** Most `field_names` of a search. */
export const MAX_FIELD_NAMES = 200;

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** Check an `app_token` (the Base id in `/base/<app_token>`). */
export function checkAppToken(appToken: unknown): string {
  if (typeof appToken !== "string" || !TOKEN.test(appToken)) {
    throw new ParamError("app_token", "应为多维表格链接 /base/ 后的一串字母数字");
  }
  return appToken;
}

/** Check a `table_id` (`tbl…`). */
export function checkTableId(tableId: unknown): string {
  if (typeof tableId !== "string" || !/^tbl[A-Za-z0-9]{1,32}$/.test(tableId)) {
    throw new ParamError("table_id", "应为 tbl 开头的数据表 ID");
  }
  return tableId;
}

/** Check a `record_id` (`rec…`); `field` names it in the error. */
export function checkRecordId(recordId: unknown, field = "record_id"): string {
  if (typeof recordId !== "string" || !/^rec[A-Za-z0-9]{1,32}$/.test(recordId)) {
    throw new ParamError(field, "应为 rec 开头的记录 ID");
  }
  return recordId;
}

/** Check a record's fields: a plain object with at least one non-empty field name. */
export function checkFields(fields: unknown, field = "fields"): Fields {
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) {
    throw new ParamError(field, "应为 { 字段名: 值 } 对象");
  }
  const names = Object.keys(fields);
  if (names.length === 0) throw new ParamError(field, "至少需要一个字段");
  for (const name of names) {
    if (name.trim() === "") throw new ParamError(`${field}`, "字段名不能为空");
    if ((fields as Fields)[name] === undefined) {
      throw new ParamError(`${field}.${name}`, "取值不能是 undefined");
    }
  }
  return fields as Fields;
}

/** Check search options before any request. */
export function checkSearch(o: SearchOptions): void {
  if (
    o.pageSize !== undefined &&
    !(Number.isInteger(o.pageSize) && o.pageSize >= 1 && o.pageSize <= MAX_PAGE_SIZE)
  ) {
    throw new ParamError("page_size", `应为 1–${MAX_PAGE_SIZE} 的整数`);
  }
  if (o.viewId !== undefined && !/^vew[A-Za-z0-9]{1,32}$/.test(o.viewId)) {
    throw new ParamError("view_id", "应为 vew 开头的视图 ID");
  }
  if (o.fieldNames !== undefined) {
    if (o.fieldNames.length > MAX_FIELD_NAMES) {
      throw new ParamError("field_names", `最多 ${MAX_FIELD_NAMES} 个`);
    }
    o.fieldNames.forEach((n, i) => {
      if (typeof n !== "string" || n.trim() === "") {
        throw new ParamError(`field_names[${i}]`, "字段名不能为空");
      }
    });
  }
  o.sort?.forEach((s, i) => {
    if (typeof s.fieldName !== "string" || s.fieldName.trim() === "") {
      throw new ParamError(`sort[${i}].field_name`, "字段名不能为空");
    }
  });
  const f = o.filter;
  if (!f) return;
  if (f.conjunction !== undefined && f.conjunction !== "and" && f.conjunction !== "or") {
    throw new ParamError("filter.conjunction", "只能是 and 或 or");
  }
  if (!Array.isArray(f.conditions) || f.conditions.length > MAX_CONDITIONS) {
    throw new ParamError("filter.conditions", `应为最多 ${MAX_CONDITIONS} 个条件的数组`);
  }
  f.conditions.forEach((c, i) => {
    const at = `filter.conditions[${i}]`;
    if (typeof c.fieldName !== "string" || c.fieldName.trim() === "") {
      throw new ParamError(`${at}.field_name`, "字段名不能为空");
    }
    if (!(FILTER_OPERATORS as readonly string[]).includes(c.operator)) {
      throw new ParamError(`${at}.operator`, `只能是 ${FILTER_OPERATORS.join("、")} 之一`);
    }
    const values = c.value ?? [];
    if (!Array.isArray(values) || values.length > MAX_CONDITION_VALUES) {
      throw new ParamError(`${at}.value`, `应为最多 ${MAX_CONDITION_VALUES} 个字符串的数组`);
    }
    const needsValue = c.operator !== "isEmpty" && c.operator !== "isNotEmpty";
    if (needsValue && values.length === 0) {
      throw new ParamError(`${at}.value`, `运算符 ${c.operator} 需要取值`);
    }
  });
}

/** Split `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): { from: number; to: number; items: T[] }[] {
  const out: { from: number; to: number; items: T[] }[] = [];
  for (let from = 0; from < items.length; from += size) {
    const to = Math.min(items.length, from + size);
    out.push({ from, to, items: items.slice(from, to) });
  }
  return out;
}
