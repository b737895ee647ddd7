/**
 * Field scopes: contact fields Feishu returns only when the caller holds the
 * matching scope (open.feishu.cn/document/server-docs/contact-v3/user/field-overview,
 * and the field notes of `authen/v1/user_info` and the VC event pages):
 *
 * | field | scope (any) |
 * |---|---|
 * | `user_id` | `contact:user.employee_id:readonly` |
 * | `email`, `enterprise_email` | `contact:user.email:readonly` |
 * | `mobile` | `contact:user.phone:readonly` |
 * | `employee_no` | `contact:user.employee_number:read`, `contact:user.employee:readonly` |
 *
 * A tenant token holds the app's enabled scopes (`SandboxOptions.appScopes`,
 * changeable at run time through `state.appScopes` or `POST /__sandbox/scopes`);
 * a user token holds what the user granted, among the app's enabled scopes.
 * Without the scope the field is left out of the answer (user_info, contact
 * users, event payloads).
 *
 * @module
 */

/** Scope that reveals `user_id`. */
export const SCOPE_USER_ID = "contact:user.employee_id:readonly";
/** Scope that reveals `email` / `enterprise_email`. */
export const SCOPE_EMAIL = "contact:user.email:readonly";
/** Scope that reveals `mobile`. */
export const SCOPE_MOBILE = "contact:user.phone:readonly";
/** Scopes that reveal `employee_no` (any). */
export const SCOPES_EMPLOYEE_NO: readonly string[] = [
  "contact:user.employee_number:read",
  "contact:user.employee:readonly",
];

/**
 * Scopes the sandbox apps have enabled by default: the contact, VC, minutes
 * and IM scopes our workflows ask for, including every field scope above.
 */
export const DEFAULT_APP_SCOPES: readonly string[] = [
  "offline_access",
  "contact:contact.base:readonly",
  "contact:user.base:readonly",
  SCOPE_USER_ID,
  SCOPE_EMAIL,
  SCOPE_MOBILE,
  SCOPES_EMPLOYEE_NO[0],
  "contact:department.organize:readonly",
  "vc:record:readonly",
  "vc:meeting.all_meeting:readonly",
  "minutes:minutes:readonly",
  "minutes:minutes.media:export",
  "im:message",
  "im:message:send_as_bot",
  "im:message:readonly",
  "contract:contract:readonly",
];

/** Which scoped fields a caller may see. */
export interface FieldGrants {
  /** `user_id`. */
  userId: boolean;
  /** `email`, `enterprise_email`. */
  email: boolean;
  /** `mobile`. */
  mobile: boolean;
  /** `employee_no`. */
  employeeNo: boolean;
}

/** Every field visible (tests and internal views). */
export const ALL_FIELDS: FieldGrants = { userId: true, email: true, mobile: true, employeeNo: true };

/** The field grants of a set of scopes. */
export function fieldGrants(scopes: Iterable<string>): FieldGrants {
  const set = scopes instanceof Set ? scopes as Set<string> : new Set(scopes);
  return {
    userId: set.has(SCOPE_USER_ID),
    email: set.has(SCOPE_EMAIL),
    mobile: set.has(SCOPE_MOBILE),
    employeeNo: SCOPES_EMPLOYEE_NO.some((s) => set.has(s)),
  };
}

/** Grants of a user token: what the user granted, among the app's enabled scopes. */
export function userFieldGrants(granted: Iterable<string>, appScopes: ReadonlySet<string>): FieldGrants {
  return fieldGrants([...granted].filter((s) => appScopes.has(s)));
}

/** Remove the fields `grants` does not allow from a user object (in place) and return it. */
export function withoutUngrantedFields<T extends Record<string, unknown>>(user: T, grants: FieldGrants): T {
  const drop = (key: string) => delete (user as Record<string, unknown>)[key];
  if (!grants.userId) drop("user_id");
  if (!grants.email) {
    drop("email");
    drop("enterprise_email");
  }
  if (!grants.mobile) drop("mobile");
  if (!grants.employeeNo) drop("employee_no");
  return user;
}
