import { ParamError } from "../errors/param_error.ts";

/** A non-empty string (after trimming) of at most `max` characters; throws {@linkcode ParamError} naming `field`. */
export function requireText(field: string, value: unknown, max = Infinity): string {
  if (typeof value !== "string" || value.trim() === "") throw new ParamError(field, "不能为空的字符串");
  if ([...value].length > max) throw new ParamError(field, `最多 ${max} 个字符`);
  return value;
}

/** An optional string of at most `max` characters (`undefined` passes). */
export function optionalText(field: string, value: unknown, max = Infinity): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ParamError(field, "应为字符串");
  if ([...value].length > max) throw new ParamError(field, `最多 ${max} 个字符`);
  return value;
}

/** An id/token: 1–`max` characters of letters, digits, `_` and `-` (no spaces, slashes or dots). */
export function requireToken(field: string, value: unknown, max = 128): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]+$/.test(value) || value.length > max) {
    throw new ParamError(field, `应为 1–${max} 位字母、数字、下划线或连字符组成的 ID`);
  }
  return value;
}

/** An integer in `[min, max]`. */
export function requireInt(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ParamError(field, `应为 ${min}–${max} 之间的整数`);
  }
  return value;
}

/** One of `allowed`. */
export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new ParamError(field, `应为 ${allowed.join(" / ")} 之一`);
  }
  return value as T;
}

/** An array of `min`–`max` items. */
export function requireArray<T>(field: string, value: unknown, min: number, max: number): T[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    throw new ParamError(field, `应为包含 ${min}–${max} 项的数组`);
  }
  return value as T[];
}
