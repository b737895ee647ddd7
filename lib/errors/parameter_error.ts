import { BadRequestError } from "./bad_request_error.ts";
import type { LarkErrorInit } from "./lark_error.ts";

/**
 * A call's input was refused before any request was made: `field` names the
 * parameter (e.g. `emails[3]`), the hint says in Chinese what to fix.
 */
export class ParameterError extends BadRequestError {
  /** The refused parameter, e.g. `emails[3]` or `pageSize`. */
  readonly field: string;
  /** Create the error for `field`; `problem` is a Chinese description of what is wrong. */
  constructor(field: string, problem: string, init: LarkErrorInit = {}) {
    super(`invalid parameter ${field}: ${problem}`, { hint: `参数 ${field} 无效：${problem}`, ...init });
    this.field = field;
  }
}
