import { BadRequestError } from "./bad_request_error.ts";
import type { LarkErrorInit } from "./lark_error.ts";

/**
 * An input was refused before any request was made. `field` names the
 * parameter (a path like `children[3].text`), and the hint says in Chinese
 * what is expected.
 */
export class ParamError extends BadRequestError {
  /** The parameter at fault, e.g. `title` or `children[3].code.language`. */
  readonly field: string;
  /** Create the error: `field`, and a Chinese `expected` phrase (used in the hint). */
  constructor(field: string, expected: string, init: LarkErrorInit = {}) {
    super(`invalid parameter ${field}: ${expected}`, {
      hint: `参数 ${field} 不正确：${expected}`,
      ...init,
    });
    this.field = field;
  }
}
