import type { LarkErrorInit } from "../errors/lark_error.ts";
import { PermissionError } from "../errors/permission_error.ts";

/** The user access token lacks the scope an aPaaS call needs; {@linkcode scopes} names it. */
export class ApaasScopeError extends PermissionError {
  /** Scopes of which the token needs one, e.g. `app_engine:workspace.table.record:read`. */
  readonly scopes: string[];
  /** Create the error naming `scopes`. */
  constructor(message: string, scopes: string[], init: LarkErrorInit = {}) {
    super(message, {
      ...init,
      hint: `用户未授予所需权限 ${
        scopes.join(" 或 ")
      }：请在开发者后台为应用开通该权限，并让用户重新授权（user_access_token）后重试。`,
    });
    this.scopes = scopes;
  }
}
