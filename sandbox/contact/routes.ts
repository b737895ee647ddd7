/**
 * Contacts (contact v3; open.feishu.cn/document/server-docs/contact-v3/...),
 * tenant or user token:
 * - `GET /open-apis/contact/v3/users/:user_id?user_id_type=&department_id_type=` → `data.user`;
 * - `GET /open-apis/contact/v3/users/batch?user_ids=…&user_ids=…` (≤ 50) → `data.items[]`
 *   (unknown ids left out);
 * - `GET /open-apis/contact/v3/users/find_by_department?department_id=&page_size=&page_token=`
 *   → `data.{has_more, page_token, items[]}` (direct members; root `"0"` allowed);
 * - `GET /open-apis/contact/v3/departments/:department_id` → `data.department`
 *   (root `"0"` → 40161);
 * - `GET /open-apis/contact/v3/departments/:department_id/children?fetch_child=&page_size=&page_token=`.
 *
 * Defaults `user_id_type=open_id`, `department_id_type=open_department_id`;
 * `page_size` 1–50 (default 10). Errors at their documented HTTP statuses:
 * unknown user 41050 [400], unknown department 40015 [400], a department
 * outside the app's contact range (`meeting.contactOutOfScope`) 40004 [403],
 * bad `page_size` 40011 [400], bad `page_token` 40012 [400], other bad
 * parameters 99992402 [400]. `meeting.contactRefuseRecursive` makes
 * `fetch_child=true` answer 43010 or 40162 [400] (Feishu refuses recursive
 * listings of large trees). `user_id`, email, mobile and `employee_no` come
 * only with their field scopes (`auth/scopes.ts`).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { callerFieldGrants, requireCaller } from "../auth/_bearer.ts";
import type { FieldGrants } from "../auth/scopes.ts";
import {
  DEPARTMENT_ID_TYPES,
  departmentIdOf,
  type DepartmentIdType,
  ROOT_DEPARTMENT_ID,
  type SandboxDepartment,
  USER_ID_TYPES,
  type UserIdType,
} from "./directory.ts";
import {
  CONTACT_CHILDREN_PATH,
  CONTACT_DEPARTMENT_PATH,
  CONTACT_FIND_BY_DEPARTMENT_PATH,
  CONTACT_USER_PATH,
  CONTACT_USERS_BATCH_PATH,
} from "./endpoints.ts";
import { type MeetingFamily, meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { departmentJson, userJson } from "./_contact_json.ts";

/** Largest `page_size` of the contact list endpoints. */
export const CONTACT_MAX_PAGE_SIZE = 50;
/** Most `user_ids` of `users/batch`. */
export const CONTACT_BATCH_MAX = 50;

interface Common {
  userIdType: UserIdType;
  depIdType: DepartmentIdType;
  grants: FieldGrants;
}

/** Register the contact endpoints (the fixed `users/…` paths before `users/:user_id`). */
export function registerContactRoutes(app: SandboxApp, state: SandboxState): void {
  const family = meetingFamily(state);
  app.get(
    CONTACT_FIND_BY_DEPARTMENT_PATH,
    endpoint(state, "contact_users_by_department"),
    (c) => guarded(c, family, usersByDepartment),
  );
  app.get(
    CONTACT_USERS_BATCH_PATH,
    endpoint(state, "contact_users_batch"),
    (c) => guarded(c, family, usersBatch),
  );
  app.get(CONTACT_USER_PATH, endpoint(state, "contact_user_get"), (c) => guarded(c, family, getUser));
  app.get(
    CONTACT_CHILDREN_PATH,
    endpoint(state, "contact_department_children"),
    (c) => guarded(c, family, children),
  );
  app.get(
    CONTACT_DEPARTMENT_PATH,
    endpoint(state, "contact_department_get"),
    (c) => guarded(c, family, getDepartment),
  );
}

type Handler = (c: SandboxContext, family: MeetingFamily, common: Common) => Response;

function invalid(
  c: SandboxContext,
  family: MeetingFamily,
  field: string,
  description: string,
  code = 99992402,
): Response {
  return openApiError(c, family.state.clock, 400, code, "field validation failed", [{ field, description }]);
}

function guarded(c: SandboxContext, family: MeetingFamily, handler: Handler): Response {
  const caller = requireCaller(c, family, { tenant: true, user: true });
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, family.state, caller.appId);
  if (limited) return limited;
  const userIdType = (c.req.query("user_id_type") ?? "open_id") as UserIdType;
  if (!USER_ID_TYPES.includes(userIdType)) {
    return invalid(c, family, "user_id_type", "user_id_type is invalid");
  }
  const depIdType = (c.req.query("department_id_type") ?? "open_department_id") as DepartmentIdType;
  if (!DEPARTMENT_ID_TYPES.includes(depIdType)) {
    return invalid(c, family, "department_id_type", "department_id_type is invalid");
  }
  return handler(c, family, { userIdType, depIdType, grants: callerFieldGrants(family, caller) });
}

function ok(c: SandboxContext, family: MeetingFamily, data: Record<string, unknown>): Response {
  return sendJson(c, family.state.clock, { code: 0, msg: "success", data });
}

/** A contact error at its documented HTTP status. */
function contactError(
  c: SandboxContext,
  family: MeetingFamily,
  status: 400 | 403,
  code: number,
  msg: string,
): Response {
  return openApiError(c, family.state.clock, status, code, msg);
}

const noUser = (c: SandboxContext, f: MeetingFamily) =>
  contactError(c, f, 400, 41050, "no user authority error");
const noDept = (c: SandboxContext, f: MeetingFamily) =>
  contactError(c, f, 400, 40015, "department not found");
const outOfScope = (c: SandboxContext, f: MeetingFamily) =>
  contactError(c, f, 403, 40004, "no dept authority error");

/** `true` when `dep` or one of its ancestors is outside the app's contact range. */
function hidden(family: MeetingFamily, dep: SandboxDepartment): boolean {
  const out = family.options.contactOutOfScope;
  if (out.length === 0) return false;
  for (let d: SandboxDepartment | undefined = dep; d; d = family.directory.department(d.parentId)) {
    if (out.includes(d.departmentId) || out.includes(d.openDepartmentId)) return true;
  }
  return false;
}

/** The department named by `id` (root allowed), or the refusing `Response`. */
function lookupDepartment(
  c: SandboxContext,
  family: MeetingFamily,
  id: string,
  type: DepartmentIdType,
): SandboxDepartment | typeof ROOT_DEPARTMENT_ID | Response {
  if (id === ROOT_DEPARTMENT_ID) return ROOT_DEPARTMENT_ID;
  const dep = family.directory.department(id, type);
  if (!dep) return noDept(c, family);
  return hidden(family, dep) ? outOfScope(c, family) : dep;
}

/** Page of `items`: the slice, or the refusing `Response`. */
function paginate<T>(
  c: SandboxContext,
  family: MeetingFamily,
  items: T[],
): { page: T[]; has_more: boolean; page_token?: string } | Response {
  const rawSize = c.req.query("page_size");
  const size = rawSize === undefined ? 10 : Number(rawSize);
  if (!Number.isInteger(size) || size < 1 || size > CONTACT_MAX_PAGE_SIZE) {
    return invalid(c, family, "page_size", `page size must be between 1 and ${CONTACT_MAX_PAGE_SIZE}`, 40011);
  }
  const token = c.req.query("page_token") ?? "";
  const m = /^pt_(\d+)$/.exec(token);
  if (token !== "" && !m) return invalid(c, family, "page_token", "page token is invalid", 40012);
  const offset = m ? Number(m[1]) : 0;
  const page = items.slice(offset, offset + size);
  const hasMore = offset + size < items.length;
  return { page, has_more: hasMore, page_token: hasMore ? `pt_${offset + size}` : undefined };
}

function getUser(c: SandboxContext, family: MeetingFamily, common: Common): Response {
  const user = family.directory.user(c.req.param("user_id") ?? "", common.userIdType);
  if (!user) return noUser(c, family);
  return ok(c, family, {
    user: userJson(family.directory, user, common.userIdType, common.depIdType, common.grants),
  });
}

function usersBatch(c: SandboxContext, family: MeetingFamily, common: Common): Response {
  const ids = c.req.queries("user_ids") ?? [];
  if (ids.length === 0) return invalid(c, family, "user_ids", "user_ids is required");
  if (ids.length > CONTACT_BATCH_MAX) {
    return invalid(c, family, "user_ids", `at most ${CONTACT_BATCH_MAX} user_ids`);
  }
  const items = ids.flatMap((id) => {
    const u = family.directory.user(id, common.userIdType);
    return u ? [userJson(family.directory, u, common.userIdType, common.depIdType, common.grants)] : [];
  });
  return ok(c, family, { items });
}

function usersByDepartment(c: SandboxContext, family: MeetingFamily, common: Common): Response {
  const id = c.req.query("department_id");
  if (!id) return invalid(c, family, "department_id", "department_id is required");
  const dep = lookupDepartment(c, family, id, common.depIdType);
  if (dep instanceof Response) return dep;
  const members = family.directory.members(typeof dep === "string" ? dep : dep.departmentId);
  const page = paginate(c, family, members);
  if (page instanceof Response) return page;
  return ok(c, family, {
    has_more: page.has_more,
    page_token: page.page_token,
    items: page.page.map((u) =>
      userJson(family.directory, u, common.userIdType, common.depIdType, common.grants)
    ),
  });
}

function getDepartment(c: SandboxContext, family: MeetingFamily, common: Common): Response {
  const id = c.req.param("department_id") ?? "";
  if (id === ROOT_DEPARTMENT_ID) {
    return contactError(c, family, 400, 40161, "root department is not allowed to query");
  }
  const dep = lookupDepartment(c, family, id, common.depIdType);
  if (dep instanceof Response) return dep;
  if (typeof dep === "string") throw new Error("unreachable: root handled above");
  return ok(c, family, {
    department: departmentJson(family.directory, dep, common.userIdType, common.depIdType),
  });
}

function children(c: SandboxContext, family: MeetingFamily, common: Common): Response {
  const dep = lookupDepartment(c, family, c.req.param("department_id") ?? "", common.depIdType);
  if (dep instanceof Response) return dep;
  const fetchChild = c.req.query("fetch_child");
  if (fetchChild !== undefined && fetchChild !== "true" && fetchChild !== "false") {
    return invalid(c, family, "fetch_child", "fetch_child must be true or false");
  }
  const refusal = family.options.contactRefuseRecursive;
  if (fetchChild === "true" && refusal !== 0) {
    const msg = refusal === 43010 ? "recursive query of children is not allowed" : "too many sub departments";
    return contactError(c, family, 400, refusal, msg);
  }
  const parent = departmentIdOf(dep, "department_id");
  const list = family.directory.children(parent, fetchChild === "true").filter((d) => !hidden(family, d));
  const page = paginate(c, family, list);
  if (page instanceof Response) return page;
  return ok(c, family, {
    has_more: page.has_more,
    page_token: page.page_token,
    items: page.page.map((d) => departmentJson(family.directory, d, common.userIdType, common.depIdType)),
  });
}
