import { LarkError, type LarkErrorInit } from "../errors/lark_error.ts";
import { ApaasQuotaError } from "./apaas_quota_error.ts";
import { ApaasScopeError } from "./apaas_scope_error.ts";
import { ApaasVersionConflictError } from "./apaas_version_conflict_error.ts";

/**
 * Codes of aPaaS version conflicts and quota errors. Not published on the
 * official pages (UNCONFIRMED): the sandbox's codes, HTTP 409, and the wording
 * of `msg` are all recognised.
 */
export const APAAS_VERSION_CONFLICT_CODES: ReadonlySet<number> = new Set([2320009]);
/** See {@linkcode APAAS_VERSION_CONFLICT_CODES}. */
export const APAAS_QUOTA_CODES: ReadonlySet<number> = new Set([2320010]);
/** Codes of a scope the user did not grant (generic error-code page). */
const SCOPE_CODES = new Set([99991679, 99991676]);

/** Turn a failure of an aPaaS call into its typed error (`scopes`: what the endpoint needs). */
export function classifyApaasError(e: unknown, scopes: readonly string[]): unknown {
  if (!(e instanceof LarkError)) return e;
  const init: LarkErrorInit = {
    code: e.code,
    httpStatus: e.httpStatus,
    logId: e.logId,
    requestId: e.requestId,
    endpoint: e.endpoint,
    cause: e,
  };
  const code = e.code ?? 0;
  if (SCOPE_CODES.has(code)) {
    const named = /\[([^\]]+)\]/.exec(e.message)?.[1].split(/[,\s]+/).filter(Boolean);
    return new ApaasScopeError(e.message, named?.length ? named : [...scopes], init);
  }
  if (APAAS_VERSION_CONFLICT_CODES.has(code) || e.httpStatus === 409 || /version conflict/i.test(e.message)) {
    return new ApaasVersionConflictError(e.message, init);
  }
  if (APAAS_QUOTA_CODES.has(code) || /quota/i.test(e.message)) return new ApaasQuotaError(e.message, init);
  return e;
}
