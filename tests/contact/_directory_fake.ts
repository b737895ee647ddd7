/** A small fake directory served like contact/v3 (not a test file itself). */
import { larkJson, type RouteHandler, type SeenCall } from "../im/_fake_open_api.ts";

export const DEPARTMENTS = [
  {
    open_department_id: "od-1",
    department_id: "d1",
    name: "研发部",
    parent_department_id: "0",
    member_count: 2,
  },
  {
    open_department_id: "od-2",
    department_id: "d2",
    name: "市场部",
    parent_department_id: "0",
    member_count: 1,
  },
  {
    open_department_id: "od-3",
    department_id: "d3",
    name: "后端组",
    parent_department_id: "od-1",
    member_count: 1,
  },
];

export const USERS = [
  {
    open_id: "ou_1",
    user_id: "zhangsan",
    name: "张三",
    email: "zhangsan@example.com",
    department_ids: ["od-1", "od-3"],
  },
  {
    open_id: "ou_2",
    user_id: "lisi",
    name: "李四",
    enterprise_email: "lisi@corp.example.com",
    department_ids: ["0"],
  },
  { open_id: "ou_3", user_id: "wangwu", name: "王五", department_ids: ["od-2", "od-9"] },
  { open_id: "ou_4", user_id: "zhaoliu", name: "赵六", email: "zl@example.com", department_ids: ["od-1"] },
];

/** Page `items` one at a time with `page_token` = next index. */
function paged(items: unknown[], call: SeenCall) {
  const i = Number(call.query.get("page_token") ?? 0);
  const has_more = i + 1 < items.length;
  return { items: items.slice(i, i + 1), has_more, page_token: has_more ? String(i + 1) : "" };
}

/** Routes of the fake; `refuseRecursive` answers 40162 to `fetch_child=true`. */
export function directoryRoutes(opts: { refuseRecursive?: boolean } = {}): Record<string, RouteHandler> {
  return {
    "GET /open-apis/contact/v3/users/find_by_department": (c) => {
      const dept = c.query.get("department_id");
      return paged(USERS.filter((u) => u.department_ids.includes(dept!)), c);
    },
    "GET /open-apis/contact/v3/users/:id": (c) => {
      const id = decodeURIComponent(c.path.split("/").pop()!);
      const key = c.query.get("user_id_type") === "user_id" ? "user_id" : "open_id";
      const user = USERS.find((u) => u[key] === id);
      return user ? { user } : larkJson({ code: 99992351, msg: "id not exist" }, 400);
    },
    "GET /open-apis/contact/v3/departments/:id/children": (c) => {
      const parent = c.path.split("/").at(-2)!;
      if (c.query.get("fetch_child") === "true") {
        if (opts.refuseRecursive) return larkJson({ code: 40162, msg: "too many sub departments" }, 400);
        return paged(parent === "0" ? DEPARTMENTS : [], c);
      }
      return paged(DEPARTMENTS.filter((d) => d.parent_department_id === parent), c);
    },
    "GET /open-apis/contact/v3/departments/:id": (c) => {
      const id = c.path.split("/").pop()!;
      if (id === "od-9") return larkJson({ code: 40004, msg: "no dept authority" }, 400);
      const department = DEPARTMENTS.find((d) => d.open_department_id === id || d.department_id === id);
      return department ? { department } : larkJson({ code: 40003, msg: "not found" }, 400);
    },
  };
}
