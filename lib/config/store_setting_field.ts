import { z } from "zod";
import { storeSettingProblem } from "../token/store_setting.ts";

/**
 * A config field naming a store: `sqlite://文件路径`, a plain file path, or
 * `postgres://用户名@主机:5432/数据库名` (optional `?schema=`); `""` (the
 * default) leaves the choice to the caller (SQLite). A bad value is a
 * validation issue with a Chinese message.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { storeSettingField } from "./store_setting_field.ts";
 * const State = z.object({ token_store: storeSettingField() });
 * console.log(State.safeParse({ token_store: "mysql://x" }).success); // false
 * ```
 */
export function storeSettingField(): z.ZodDefault<z.ZodString> {
  return z.string().superRefine((value, ctx) => {
    const problem = value.trim() ? storeSettingProblem(value) : undefined;
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }).default("");
}
