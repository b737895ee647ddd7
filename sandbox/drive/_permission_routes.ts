/**
 * Collaborators (open.feishu.cn/document/server-docs/docs/permission/permission-member/…), tenant token:
 * - `POST /open-apis/drive/v1/permissions/:token/members?type=&need_notification=`
 *   `{member_type, member_id, perm, perm_type?, type?}` → `data.member`;
 * - `PUT …/members/:member_id?type= {member_type, perm, perm_type?}` → `data.member`;
 * - `DELETE …/members/:member_id?type=&member_type=` → `data: {}`;
 * - `GET …/members?type=` → `data.items[]` (not paged).
 *
 * Documents: docx ones the caller's app owns, plus any registered with
 * `docsFamily(state).permissions.registerDocument(token, type)` (sheets, Bases…).
 * Codes: 1063001 invalid parameter [400], 1063003 invalid operation [400],
 * 1063002 permission denied [403], 1063005 resource deleted or unknown [404]
 * (statuses and 1063005 for an unknown token UNCONFIRMED).
 *
 * @module
 */
import { jsonObject } from "../_json_body.ts";
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit, requireTenantToken } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError, sendJson } from "../_respond.ts";
import type { DocsFamily } from "../docx/family.ts";
import type { SandboxState } from "../state.ts";
import { DRIVE_PATHS } from "./endpoints.ts";
import type { StoredMember } from "./permission_store.ts";

const DOC_TYPES = [
  "doc",
  "docx",
  "sheet",
  "bitable",
  "file",
  "folder",
  "wiki",
  "mindnote",
  "minutes",
  "slides",
];
/** member_type → the `type` Feishu reports, and the id shape the sandbox checks. */
const MEMBER_TYPES: Record<string, { kind: string; shape: RegExp }> = {
  email: { kind: "user", shape: /^[^@\s]+@[^@\s]+$/ },
  openid: { kind: "user", shape: /^ou_[A-Za-z0-9]+$/ },
  unionid: { kind: "user", shape: /^on_[A-Za-z0-9]+$/ },
  userid: { kind: "user", shape: /^[A-Za-z0-9_-]+$/ },
  openchat: { kind: "chat", shape: /^oc_[A-Za-z0-9]+$/ },
  opendepartmentid: { kind: "department", shape: /^od-[A-Za-z0-9]+$/ },
  groupid: { kind: "group", shape: /^[A-Za-z0-9_-]+$/ },
  wikispaceid: { kind: "wiki_space_member", shape: /^\d+$/ },
};
const PERMS = ["view", "edit", "full_access"];

/** Register the permission-member endpoints. */
export function registerPermissionRoutes(app: SandboxApp, state: SandboxState, fam: DocsFamily): void {
  app.post(DRIVE_PATHS.members, endpoint(state, "drive_member_create"), (c) => create(c, state, fam));
  app.get(DRIVE_PATHS.members, endpoint(state, "drive_member_list"), (c) => list(c, state, fam));
  app.put(DRIVE_PATHS.member, endpoint(state, "drive_member_update"), (c) => update(c, state, fam));
  app.delete(DRIVE_PATHS.member, endpoint(state, "drive_member_delete"), (c) => remove(c, state, fam));
}

const invalid = (c: SandboxContext, state: SandboxState, what: string) =>
  openApiError(c, state.clock, 400, 1063001, `Invalid parameter: ${what}`);

/** Check token, `type` and the document; the document token or the refusing answer. */
function docGuard(c: SandboxContext, state: SandboxState, fam: DocsFamily): string | Response {
  const caller = requireTenantToken(c, state);
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, state, caller.appId);
  if (limited) return limited;
  const token = c.req.param("token") ?? "";
  const type = c.req.query("type");
  if (!type || !DOC_TYPES.includes(type)) return invalid(c, state, "type");
  if (type === "docx") {
    const doc = fam.docs.get(token);
    if (!doc || doc.deleted) return openApiError(c, state.clock, 404, 1063005, "Resource is deleted");
    if (doc.ownerAppId !== caller.appId && !doc.sharedWith.has(caller.appId) && !doc.sharedWith.has("*")) {
      return openApiError(c, state.clock, 403, 1063002, "Permission denied");
    }
    return token;
  }
  const reg = fam.permissions.document(token);
  if (!reg || reg.deleted) return openApiError(c, state.clock, 404, 1063005, "Resource is deleted");
  if (reg.type !== type) return invalid(c, state, "type does not match the document");
  return token;
}

function checkMember(
  c: SandboxContext,
  state: SandboxState,
  b: Record<string, unknown>,
  memberId: unknown,
): StoredMember | Response {
  const mt = typeof b.member_type === "string" ? MEMBER_TYPES[b.member_type] : undefined;
  if (!mt) return invalid(c, state, "member_type");
  if (typeof memberId !== "string" || !mt.shape.test(memberId)) return invalid(c, state, "member_id");
  if (typeof b.perm !== "string" || !PERMS.includes(b.perm)) return invalid(c, state, "perm");
  if (c.req.query("type") === "minutes" && b.perm === "full_access") return invalid(c, state, "perm");
  if (
    b.perm_type !== undefined &&
    !(c.req.query("type") === "wiki" && ["container", "single_page"].includes(String(b.perm_type)))
  ) {
    return invalid(c, state, "perm_type");
  }
  return {
    member_type: b.member_type as string,
    member_id: memberId,
    perm: b.perm,
    ...(b.perm_type ? { perm_type: String(b.perm_type) } : {}),
    type: mt.kind,
    name: `沙箱成员 ${memberId.slice(-6)}`,
  };
}

const key = (memberType: string, id: string) => `${memberType}|${id}`;

function wire(m: StoredMember, withName: boolean): Record<string, unknown> {
  const { name, ...rest } = m;
  return withName ? { ...rest, name } : rest;
}

async function create(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const token = docGuard(c, state, fam);
  if (token instanceof Response) return token;
  const b = await jsonObject(c) ?? {};
  const m = checkMember(c, state, b, b.member_id);
  if (m instanceof Response) return m;
  fam.permissions.members(token).set(key(m.member_type, m.member_id), m);
  return sendJson(c, state.clock, { code: 0, msg: "success", data: { member: wire(m, false) } });
}

async function update(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const token = docGuard(c, state, fam);
  if (token instanceof Response) return token;
  const b = await jsonObject(c) ?? {};
  const m = checkMember(c, state, b, c.req.param("member_id") ?? "");
  if (m instanceof Response) return m;
  const members = fam.permissions.members(token);
  if (!members.has(key(m.member_type, m.member_id))) {
    return openApiError(c, state.clock, 400, 1063003, "Invalid operation: not a collaborator");
  }
  members.set(key(m.member_type, m.member_id), m);
  return sendJson(c, state.clock, { code: 0, msg: "success", data: { member: wire(m, false) } });
}

function remove(c: SandboxContext, state: SandboxState, fam: DocsFamily): Response {
  const token = docGuard(c, state, fam);
  if (token instanceof Response) return token;
  const memberType = c.req.query("member_type") ?? "";
  if (!MEMBER_TYPES[memberType]) return invalid(c, state, "member_type");
  const id = c.req.param("member_id") ?? "";
  if (!fam.permissions.members(token).delete(key(memberType, id))) {
    return openApiError(c, state.clock, 400, 1063003, "Invalid operation: not a collaborator");
  }
  return sendJson(c, state.clock, { code: 0, msg: "success", data: {} });
}

function list(c: SandboxContext, state: SandboxState, fam: DocsFamily): Response {
  const token = docGuard(c, state, fam);
  if (token instanceof Response) return token;
  const items = [...fam.permissions.members(token).values()].map((m) => wire(m, true));
  return sendJson(c, state.clock, { code: 0, msg: "success", data: { items } });
}
