/**
 * aPaaS error answers. Only 2320001 "param is invalid" [400] is documented (flow
 * execute page); the not-found, version-conflict, quota and duplicate-key codes
 * are the sandbox's own (UNCONFIRMED register AP-1). A user token without the
 * endpoint's scope gets 99991679 naming the scope, as the generic error page does.
 *
 * @module
 */
import type { SandboxContext } from "../_env.ts";
import { openApiError } from "../_respond.ts";
import type { SandboxState } from "../state.ts";

/** The codes, with their HTTP statuses. */
export const APAAS_ERRORS = {
  paramInvalid: { code: 2320001, status: 400 },
  notFound: { code: 2320004, status: 404 },
  versionConflict: { code: 2320009, status: 409 },
  quotaExceeded: { code: 2320010, status: 400 },
  duplicateKey: { code: 2320002, status: 400 },
} as const;

/** Answer with one of {@linkcode APAAS_ERRORS}. */
export function apaasError(
  c: SandboxContext,
  state: SandboxState,
  kind: keyof typeof APAAS_ERRORS,
  msg: string,
  field?: string,
): Response {
  const { code, status } = APAAS_ERRORS[kind];
  return openApiError(c, state.clock, status, code, msg, field ? [{ field, description: msg }] : undefined);
}

/** 99991679: the user did not grant any of `scopes`. */
export function missingScope(c: SandboxContext, state: SandboxState, scopes: readonly string[]): Response {
  return openApiError(
    c,
    state.clock,
    400,
    99991679,
    `Unauthorized. You do not have permission to perform the requested operation on the resource. Please request user re-authorization and try again. required one of these privileges under the user identity: [${
      scopes.join(", ")
    }]`,
  );
}
