import { BadRequestError } from "./bad_request_error.ts";

/**
 * A parameter error raised before any request is made: the message names the
 * field (`fields[3].record_id: …`) and the Chinese hint tells the caller
 * what to fix. Never retried.
 *
 * @example
 * ```ts
 * import { invalidParam } from "./invalid_param.ts";
 * const e = invalidParam("table_id", "应以 tbl 开头");
 * console.log(e.field, e.userMessage());
 * ```
 */
export function invalidParam(field: string, problem: string): BadRequestError & { field: string } {
  const error = new BadRequestError(`invalid parameter ${field}: ${problem}`, {
    hint: `参数 ${field} 无效：${problem}`,
  }) as BadRequestError & { field: string };
  error.field = field;
  return error;
}
