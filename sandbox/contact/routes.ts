/**
 * Contacts (shared/docs/feishu-api.md §5), tenant or user token:
 * - `GET /open-apis/contact/v3/users/:user_id?user_id_type=&department_id_type=` → `data.user`;
 * - `GET /open-apis/contact/v3/users/find_by_department?department_id=&page_size=&page_token=`
 *   → `data.{has_more, page_token, items[]}` (direct members; root `"0"` allowed);
 * - `GET /open-apis/contact/v3/departments/:department_id` → `data.department`
 *   (root `"0"` → 40161);
 * - `GET /open-apis/contact/v3/departments/:department_id/children?fetch_child=&page_size=&page_token=`.
 *
 * Defaults `user_id_type=open_id`, `department_id_type=open_department_id`;
 * `page_size` 1–50 (default 10). Bad parameters → 99992402 [400]. Unknown
 * user → 41050 "no user authority error", unknown department → 40004
 * "no dept authority error" (codes: ASSUMPTION from Feishu's contact error
 * list; HTTP 200 follows feishu-api.md §1.4, "contact 40xxx with HTTP 200").
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import {
  DEPARTMENT_ID_TYPES,
  departmentIdOf,
  type DepartmentIdType,
  ROOT_DEPARTMENT_ID,
  USER_ID_TYPES,
  type UserIdType,
} from "./directory.ts";
import {
  CONTACT_CHILDREN_PATH,
  CONTACT_DEPARTMENT_PATH,
  CONTACT_FIND_BY_DEPARTMENT_PATH,
  CONTACT_USER_PATH,
} from "../scenarios/meeting/endpoints.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import { departmentJson, userJson } from "./_contact_json.ts";

/** Largest `page_size` of the contact list endpoints. */
export const CONTACT_MAX_PAGE_SIZE = 50;

interface Common {
  userIdType: UserIdType;
  depIdType: DepartmentIdType;
}

/** Register the contact endpoints (find_by_department before `users/:user_id`). */
export function registerContactRoutes(app: SandboxApp, family: MeetingFamily): void {
  const state = family.state;
  app.get(
    CONTACT_FIND_BY_DEPARTMENT_PATH,
    endpoint(state, "contact_users_by_department"),
    (c) => guarded(c, family, usersByDepartment),
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

function invalid(c: SandboxContext, family: MeetingFamily, field: string, description: string): Response {
  return openApiError(c, family.state.clock, 400, 99992402, "field validation failed", [{
    field,
    description,
  }]);
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
  return handler(c, family, { userIdType, depIdType });
}

function ok(c: SandboxContext, family: MeetingFamily, data: Record<string, unknown>): Response {
  return sendJson(c, family.state.clock, { code: 0, msg: "success", data });
}

/** Business error with HTTP 200 (contact family). */
function contactError(c: SandboxContext, family: MeetingFamily, code: number, msg: string): Response {
  return openApiError(c, family.state.clock, 200, code, msg);
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
    return invalid(
      c,
      family,
      "page_size",
      `page_size must be an integer between 1 and ${CONTACT_MAX_PAGE_SIZE}`,
    );
  }
  const token = c.req.query("page_token") ?? "";
  const m = /^pt_(\d+)$/.exec(token);
  if (token !== "" && !m) return invalid(c, family, "page_token", "page_token is invalid");
  const offset = m ? Number(m[1]) : 0;
  const page = items.slice(offset, offset + size);
  const hasMore = offset + size < items.length;
  return { page, has_more: hasMore, page_token: hasMore ? `pt_${offset + size}` : undefined };
}

function getUser(c: SandboxContext, family: MeetingFamily, common: Common): Response {
  const user = family.directory.user(c.req.param("user_id") ?? "", common.userIdType);
  if (!user) return contactError(c, family, 41050, "no user authority error");
  return ok(c, family, { user: userJson(family.directory, user, common.userIdType, common.depIdType) });
}

function usersByDepartment(c: SandboxContext, family: MeetingFamily, common: Common): Response {
  const id = c.req.query("department_id");
  if (!id) return invalid(c, family, "department_id", "department_id is required");
  const dep = id === ROOT_DEPARTMENT_ID
    ? ROOT_DEPARTMENT_ID
    : family.directory.department(id, common.depIdType);
  if (!dep) return contactError(c, family, 40004, "no dept authority error");
  const members = family.directory.members(typeof dep === "string" ? dep : dep.departmentId);
  const page = paginate(c, family, members);
  if (page instanceof Response) return page;
  return ok(c, family, {
    has_more: page.has_more,
    page_token: page.page_token,
    items: page.page.map((u) => userJson(family.directory, u, common.userIdType, common.depIdType)),
  });
}

function getDepartment(c: SandboxContext, family: MeetingFamily, common: Common): Response {
  const id = c.req.param("department_id") ?? "";
  if (id === ROOT_DEPARTMENT_ID) {
    return contactError(c, family, 40161, "root department is not allowed to query");
  }
  const dep = family.directory.department(id, common.depIdType);
  if (!dep) return contactError(c, family, 40004, "no dept authority error");
  return ok(c, family, {
    department: departmentJson(family.directory, dep, common.userIdType, common.depIdType),
  });
}

function children(c: SandboxContext, family: MeetingFamily, common: Common): Response {
  const id = c.req.param("department_id") ?? "";
  const dep = id === ROOT_DEPARTMENT_ID
    ? ROOT_DEPARTMENT_ID
    : family.directory.department(id, common.depIdType);
  if (!dep) return contactError(c, family, 40004, "no dept authority error");
  const fetchChild = c.req.query("fetch_child");
  if (fetchChild !== undefined && fetchChild !== "true" && fetchChild !== "false") {
    return invalid(c, family, "fetch_child", "fetch_child must be true or false");
  }
  const parent = departmentIdOf(dep, "department_id");
  const list = family.directory.children(parent, fetchChild === "true");
  const page = paginate(c, family, list);
  if (page instanceof Response) return page;
  return ok(c, family, {
    has_more: page.has_more,
    page_token: page.page_token,
    items: page.page.map((d) => departmentJson(family.directory, d, common.userIdType, common.depIdType)),
  });
}
