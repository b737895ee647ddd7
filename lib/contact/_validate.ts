import { ParamError } from "../errors/param_error.ts";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Feishu wants non-mainland numbers with a "+<country code>" prefix; mainland ones may omit it.
const MOBILE = /^\+?[0-9]{5,20}$/;

/** `value` as a non-empty id without whitespace, or a {@linkcode ParamError} naming `field`. */
export function checkId(field: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") throw new ParamError(field, "不能为空");
  if (/\s/.test(value)) throw new ParamError(field, "不能包含空白字符");
  if (value.length > 256) throw new ParamError(field, "过长（最多 256 个字符）");
  return value;
}

/** Check every email of a list; the error names the offending index, e.g. `emails[2]`. */
export function checkEmails(field: string, values: readonly unknown[]): string[] {
  return values.map((v, i) => {
    if (typeof v !== "string" || !EMAIL.test(v.trim())) {
      throw new ParamError(`${field}[${i}]`, `不是有效的邮箱地址：${String(v)}`);
    }
    return v.trim();
  });
}

/** Check every mobile number of a list (digits, optional leading "+"). */
export function checkMobiles(field: string, values: readonly unknown[]): string[] {
  return values.map((v, i) => {
    const s = typeof v === "string" ? v.replace(/[\s-]/g, "") : "";
    if (!MOBILE.test(s)) {
      throw new ParamError(`${field}[${i}]`, `不是有效的手机号（境外号码需带 +国家码）：${String(v)}`);
    }
    return s;
  });
}
