import { BadRequestError } from "../errors/bad_request_error.ts";

/**
 * A message, card or upload was refused before any request: `field` names
 * the offending input (e.g. `receiveId`, `content`, `image`), `hint` says in
 * Chinese what to fix.
 */
export class ImFieldError extends BadRequestError {
  /** The input field that is wrong, e.g. `receiveId` or `body.elements[2].text`. */
  readonly field: string;

  /** Create the error for `field` with a technical message and a Chinese hint. */
  constructor(field: string, message: string, hint: string) {
    super(`${field}: ${message}`, { hint, endpoint: "im" });
    this.field = field;
  }
}
