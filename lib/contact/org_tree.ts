import type { ContactApi, ContactCallOptions, Department } from "./contact_api.ts";
import { allDepartments } from "./list_directory.ts";

/** One node of the organisation tree. */
export interface OrgNode {
  /** Department id (of the API's department id type); `"0"` for the root. */
  id: string;
  /** Name (`rootName` for the root). */
  name: string;
  /** Members, when Feishu says. */
  memberCount?: number;
  /** Sub-departments, in Feishu's order. */
  children: OrgNode[];
}

/**
 * The whole organisation tree under the root `"0"`: one recursive
 * `departments/0/children?fetch_child=true`, or, when Feishu refuses recursion on
 * a large tree (43010 / 40162), the tree walked level by level.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import { ContactApi } from "./contact_api.ts";
 *
 * declare const http: LarkHttp;
 * const root = await orgTree(new ContactApi(http));
 * for (const d of root.children) console.log(d.name, d.children.length);
 * ```
 */
export async function orgTree(
  api: ContactApi,
  o: ContactCallOptions & { rootName?: string } = {},
): Promise<OrgNode> {
  const departments: Department[] = await allDepartments(api, o);
  const root: OrgNode = { id: "0", name: o.rootName ?? "", children: [] };
  const nodes = new Map<string, OrgNode>([["0", root]]);
  for (const d of departments) {
    nodes.set(d.id, { id: d.id, name: d.name, memberCount: d.memberCount, children: [] });
  }
  for (const d of departments) {
    // A parent outside the app's contact range: hang the department under the root.
    (nodes.get(d.parentId ?? "0") ?? root).children.push(nodes.get(d.id)!);
  }
  return root;
}
