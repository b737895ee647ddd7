import { ParamError } from "../errors/param_error.ts";

/**
 * A message, card or upload was refused before any request: the messaging
 * module's {@linkcode ParamError}. `field` names the offending input (e.g.
 * `receiveId`, `content`, `image`), `hint` says in Chinese what to fix.
 */
export class ImFieldError extends ParamError {
  /** Create the error for `field` with a technical message and a Chinese hint. */
  constructor(field: string, message: string, hint: string) {
    super(field, message, { hint, endpoint: "im" });
  }
}
