/**
 * Endpoints of the contact family (the fixed `users/…` paths are registered before `users/:user_id`).
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Path of the user endpoint. */
export const CONTACT_USER_PATH = "/open-apis/contact/v3/users/:user_id";
/** Path of the batch user endpoint (`?user_ids=…&user_ids=…`). */
export const CONTACT_USERS_BATCH_PATH = "/open-apis/contact/v3/users/batch";
/** Path of the "users in a department" endpoint. */
export const CONTACT_FIND_BY_DEPARTMENT_PATH = "/open-apis/contact/v3/users/find_by_department";
/** Path of the department endpoint. */
export const CONTACT_DEPARTMENT_PATH = "/open-apis/contact/v3/departments/:department_id";
/** Path of the child departments endpoint. */
export const CONTACT_CHILDREN_PATH = "/open-apis/contact/v3/departments/:department_id/children";

/** Contact endpoints. */
export const CONTACT_ENDPOINTS = [
  {
    name: "contact_user_get",
    family: "open_api",
    method: "GET",
    path: CONTACT_USER_PATH,
    title: "获取单个用户信息",
  },
  {
    name: "contact_users_batch",
    family: "open_api",
    method: "GET",
    path: CONTACT_USERS_BATCH_PATH,
    title: "批量获取用户信息",
  },
  {
    name: "contact_users_by_department",
    family: "open_api",
    method: "GET",
    path: CONTACT_FIND_BY_DEPARTMENT_PATH,
    title: "获取部门直属用户列表",
  },
  {
    name: "contact_department_get",
    family: "open_api",
    method: "GET",
    path: CONTACT_DEPARTMENT_PATH,
    title: "获取单个部门信息",
  },
  {
    name: "contact_department_children",
    family: "open_api",
    method: "GET",
    path: CONTACT_CHILDREN_PATH,
    title: "获取子部门列表",
  },
] as const satisfies readonly EndpointSpec[];
