import type { AuthProvider } from "../auth/auth_provider.ts";
import type { LarkHttp } from "../http/lark_http.ts";

/** How user ids are read and written. */
export type UserIdType = "open_id" | "union_id" | "user_id";
/** How department ids are read and written. */
export type DepartmentIdType = "department_id" | "open_department_id";

/**
 * Rate buckets of the contact APIs: users get / find_by_department / children
 * are 1000/min & 50/s; department get has a "special" (unpublished) limit, so
 * it gets its own conservative 5/s bucket.
 */
export const CONTACT_BUCKETS = {
  contact: { perSecond: 50, perMinute: 1000 },
  contact_department_get: { perSecond: 5 },
} as const;

/** A user from the contact API. */
export interface ContactUser {
  /** The id of the type the API was asked for. */
  id: string;
  /** Open id. */
  openId?: string;
  /** Union id. */
  unionId?: string;
  /** Tenant user id (needs the employee-id scope). */
  userId?: string;
  /** Name. */
  name: string;
  /** English name. */
  enName?: string;
  /** Email (falls back to the enterprise email); needs the email scope. */
  email?: string;
  /** Department ids (of the API's department id type); needs the department scope. */
  departmentIds: string[];
  /** Resigned, when Feishu says. */
  resigned?: boolean;
}

/** A department from the contact API. */
export interface Department {
  /** The id of the type the API was asked for. */
  id: string;
  /** Name. */
  name: string;
  /** Parent department id ("0" = root). */
  parentId?: string;
  /** Members, when Feishu says. */
  memberCount?: number;
  /** Present (true) only when Feishu marks the department deleted (`status.is_deleted`). */
  deleted?: true;
}

/** Options of {@linkcode ContactApi}. */
export interface ContactApiOptions {
  /** `user_id_type` sent on every call (default `open_id`). */
  userIdType?: UserIdType;
  /** `department_id_type` sent on every call (default `open_department_id`). */
  departmentIdType?: DepartmentIdType;
}

/** Options of one call. */
export interface ContactCallOptions {
  /** Credentials (default the client's, normally the tenant token). */
  auth?: AuthProvider;
  /** Cancel. */
  signal?: AbortSignal;
}

interface Page<T> {
  items?: T[];
  has_more?: boolean;
  page_token?: string;
}

/**
 * Feishu contacts (`contact/v3`), always with explicit `user_id_type` and
 * `department_id_type`: get a user (with `department_ids`), get a department,
 * list child departments and the users of a department (paged by 50).
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * const contacts = new ContactApi(http, { userIdType: "user_id" });
 * const u = await contacts.getUser("zhangsan");
 * for await (const d of contacts.childDepartments("0", { fetchChild: true })) console.log(d.name);
 * ```
 */
export class ContactApi {
  #http: LarkHttp;
  /** `user_id_type` of every call. */
  readonly userIdType: UserIdType;
  /** `department_id_type` of every call. */
  readonly departmentIdType: DepartmentIdType;

  /** Use `http` (normally authenticated with the tenant token). */
  constructor(http: LarkHttp, options: ContactApiOptions = {}) {
    this.#http = http;
    this.userIdType = options.userIdType ?? "open_id";
    this.departmentIdType = options.departmentIdType ?? "open_department_id";
  }

  /** `GET /open-apis/contact/v3/users/:user_id`. */
  async getUser(id: string, o: ContactCallOptions = {}): Promise<ContactUser> {
    const res = await this.#http.request<{ user?: Record<string, unknown> }>({
      path: `/open-apis/contact/v3/users/${encodeURIComponent(id)}`,
      query: this.#types(),
      auth: o.auth,
      signal: o.signal,
      bucket: "contact",
      step: "contact_user_get",
    });
    return this.#user(res.data?.user ?? {}, id);
  }

  /** `GET /open-apis/contact/v3/departments/:department_id` (the root "0" cannot be fetched). */
  async getDepartment(id: string, o: ContactCallOptions = {}): Promise<Department> {
    const res = await this.#http.request<{ department?: Record<string, unknown> }>({
      path: `/open-apis/contact/v3/departments/${encodeURIComponent(id)}`,
      query: this.#types(),
      auth: o.auth,
      signal: o.signal,
      bucket: "contact_department_get",
      step: "contact_department_get",
    });
    return this.#department(res.data?.department ?? {}, id);
  }

  /** `GET /open-apis/contact/v3/departments/:id/children`, every page; `fetchChild` = the whole subtree. */
  async *childDepartments(
    parentId: string,
    o: ContactCallOptions & { fetchChild?: boolean } = {},
  ): AsyncGenerator<Department> {
    for await (
      const d of this.#pages(`/open-apis/contact/v3/departments/${encodeURIComponent(parentId)}/children`, {
        fetch_child: o.fetchChild ?? false,
      }, o)
    ) {
      yield this.#department(d, "");
    }
  }

  /** `GET /open-apis/contact/v3/users/find_by_department`: direct members of a department, every page. */
  async *usersInDepartment(departmentId: string, o: ContactCallOptions = {}): AsyncGenerator<ContactUser> {
    for await (
      const u of this.#pages("/open-apis/contact/v3/users/find_by_department", {
        department_id: departmentId,
      }, o)
    ) {
      yield this.#user(u, "");
    }
  }

  async *#pages(
    path: string,
    query: Record<string, string | boolean>,
    o: ContactCallOptions,
  ): AsyncGenerator<Record<string, unknown>> {
    let pageToken: string | undefined;
    for (;;) {
      const res = await this.#http.request<Page<Record<string, unknown>>>({
        path,
        query: { ...query, ...this.#types(), page_size: 50, page_token: pageToken },
        auth: o.auth,
        signal: o.signal,
        bucket: "contact",
        step: "contact_list",
      });
      for (const item of res.data?.items ?? []) yield item;
      pageToken = res.data?.page_token;
      if (!res.data?.has_more || !pageToken) return;
    }
  }

  #types() {
    return { user_id_type: this.userIdType, department_id_type: this.departmentIdType };
  }

  #user(u: Record<string, unknown>, asked: string): ContactUser {
    const ids = { open_id: str(u.open_id), union_id: str(u.union_id), user_id: str(u.user_id) };
    const status = u.status as Record<string, unknown> | undefined;
    return {
      id: ids[this.userIdType] ?? asked,
      openId: ids.open_id,
      unionId: ids.union_id,
      userId: ids.user_id,
      name: str(u.name) ?? "",
      enName: str(u.en_name),
      email: str(u.email) ?? str(u.enterprise_email),
      departmentIds: Array.isArray(u.department_ids)
        ? u.department_ids.filter((d) => typeof d === "string")
        : [],
      resigned: typeof status?.is_resigned === "boolean" ? status.is_resigned : undefined,
    };
  }

  #department(d: Record<string, unknown>, asked: string): Department {
    const id = this.departmentIdType === "department_id"
      ? str(d.department_id)
      : str(d.open_department_id) ?? str(d.department_id);
    const count = Number(d.member_count);
    const deleted = (d.status as Record<string, unknown> | undefined)?.is_deleted === true;
    return {
      id: id ?? asked,
      name: str(d.name) ?? "",
      parentId: str(d.parent_department_id),
      memberCount: Number.isFinite(count) && d.member_count !== undefined ? count : undefined,
      ...(deleted ? { deleted: true as const } : {}),
    };
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
