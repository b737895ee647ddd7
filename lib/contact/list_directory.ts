import { pooledMap } from "../async/pool.ts";
import { LarkError } from "../errors/lark_error.ts";
import type { ContactApi, ContactCallOptions, Department } from "./contact_api.ts";
import type { UserDepartment } from "./contact_cache.ts";

/** One user of the directory export. */
export interface DirectoryRow {
  /** User id (of the API's user id type). */
  user_id: string;
  /** Name. */
  name: string;
  /** Email ("" when unknown or not readable). */
  email: string;
  /** Departments with names (the root "0" left out unless `rootDepartmentName` is set). */
  departments: UserDepartment[];
}

/** Options of {@linkcode listDirectory}. */
export interface ListDirectoryOptions extends ContactCallOptions {
  /** Departments listed at once (default 4; the rate limiter still applies). */
  concurrency?: number;
  /** Name given to the root department "0"; default: the root is left out of `departments`. */
  rootDepartmentName?: string;
  /** Called after each department's users are read. */
  onProgress?: (p: { departmentsDone: number; departments: number; users: number }) => void;
}

/**
 * Every user the app can see, for building the NAS mapping file: all
 * departments under the root "0" (`children?fetch_child=true`, or walked level
 * by level when Feishu refuses the recursive listing with 43010 or 40162), then the
 * members of the root and of each department (`find_by_department`), de-duplicated,
 * sorted by name then id.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import { ContactApi } from "./contact_api.ts";
 *
 * declare const http: LarkHttp;
 * const rows = await listDirectory(new ContactApi(http, { userIdType: "user_id" }));
 * ```
 */
export async function listDirectory(api: ContactApi, o: ListDirectoryOptions = {}): Promise<DirectoryRow[]> {
  const departments = await allDepartments(api, o);
  const names = new Map(departments.map((d) => [d.id, d.name]));
  if (o.rootDepartmentName !== undefined) names.set("0", o.rootDepartmentName);
  const ids = ["0", ...departments.map((d) => d.id)];
  const rows = new Map<string, DirectoryRow>();
  let done = 0;
  await pooledMap(ids, async (departmentId) => {
    for await (const u of api.usersInDepartment(departmentId, o)) {
      if (rows.has(u.id)) continue;
      rows.set(u.id, {
        user_id: u.id,
        name: u.name,
        email: u.email ?? "",
        departments: u.departmentIds
          .filter((d) => d !== "0" || o.rootDepartmentName !== undefined)
          .map((d) => ({ id: d, name: names.get(d) ?? "" })),
      });
    }
    done++;
    o.onProgress?.({ departmentsDone: done, departments: ids.length, users: rows.size });
  }, { concurrency: o.concurrency ?? 4, signal: o.signal });
  return [...rows.values()].sort((a, b) =>
    a.name.localeCompare(b.name, "zh-CN") || a.user_id.localeCompare(b.user_id)
  );
}

/** Codes with which Feishu refuses `children?fetch_child=true` on large trees. */
const RECURSION_REFUSED = new Set([43010, 40162]);

/**
 * Every department under the root "0": one recursive listing, or level by level
 * when Feishu refuses recursion (43010 / 40162).
 */
export async function allDepartments(api: ContactApi, o: ContactCallOptions = {}): Promise<Department[]> {
  const out: Department[] = [];
  try {
    for await (const d of api.childDepartments("0", { ...o, fetchChild: true })) out.push(d);
    return out;
  } catch (e) {
    if (!(e instanceof LarkError) || !RECURSION_REFUSED.has(e.code ?? 0)) throw e;
  }
  // Too many sub-departments for one recursive call: walk the tree level by level.
  out.length = 0;
  const seen = new Set<string>();
  let level = ["0"];
  while (level.length > 0) {
    const next: string[] = [];
    for (const parent of level) {
      for await (const d of api.childDepartments(parent, { ...o, fetchChild: false })) {
        if (seen.has(d.id)) continue;
        seen.add(d.id);
        out.push(d);
        next.push(d.id);
      }
    }
    level = next;
  }
  return out;
}
