import type { AuthProvider } from "../auth/auth_provider.ts";
import { ParamError } from "../errors/param_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";
import { requireOneOf, requireText, requireToken } from "../validate/checks.ts";
import "./drive_codes.ts";

/** Rate bucket of the permission-member APIs (documented 100/min). */
export const DRIVE_PERMISSION_BUCKETS = { drive_permission: { perMinute: 100 } } as const;

/** Kinds of cloud documents whose collaborators can be managed. */
export const DOC_TYPES = [
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
] as const;
/** A cloud document kind (`type` query). */
export type DocType = (typeof DOC_TYPES)[number];

/** How `memberId` is to be read. */
export const MEMBER_TYPES = [
  "email",
  "openid",
  "unionid",
  "openchat",
  "opendepartmentid",
  "userid",
  "groupid",
  "wikispaceid",
] as const;
/** A member id type. */
export type MemberType = (typeof MEMBER_TYPES)[number];

/** Roles Feishu grants: view, edit, full_access (= manage). */
export const PERMS = ["view", "edit", "full_access"] as const;
/** A role; `"manage"` is accepted as `"full_access"`. */
export type Perm = (typeof PERMS)[number] | "manage";

/** A collaborator as Feishu lists it. */
export interface Collaborator {
  /** Id type. */
  memberType: string;
  /** Id. */
  memberId: string;
  /** Role. */
  perm: string;
  /** Wiki scope (`container` / `single_page`), if any. */
  permType?: string;
  /** `user`, `chat`, `department`, … */
  type?: string;
  /** Display name (list only). */
  name?: string;
}

/** Who and which role. */
export interface MemberInput {
  /** Kind of the document. */
  type: DocType;
  /** Id type of `memberId`. */
  memberType: MemberType;
  /** The collaborator's id. */
  memberId: string;
  /** Role: view / edit / full_access (or manage). Feishu has no comment-only role in this API. */
  perm: Perm;
  /** Wiki only: `container` (page and children, default) or `single_page`. */
  permType?: "container" | "single_page";
  /** Notify the collaborator (user token only). */
  needNotification?: boolean;
}

/** Options of one call. */
export interface PermissionCallOptions {
  /** Credentials; default the client's. */
  auth?: AuthProvider;
  /** Cancel. */
  signal?: AbortSignal;
}

/**
 * Collaborators of docs, sheets, Bases and other cloud documents
 * (`/open-apis/drive/v1/permissions/:token/members`): grant, change,
 * revoke, list. All in the `drive_permission` bucket (100/min).
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * declare const docToken: string;
 * const perms = new PermissionApi(http);
 * await perms.add(docToken, { type: "docx", memberType: "openid", memberId: "ou_x", perm: "edit" });
 * await perms.update(docToken, { type: "docx", memberType: "openid", memberId: "ou_x", perm: "view" });
 * console.log(await perms.list(docToken, "docx"));
 * await perms.remove(docToken, { type: "docx", memberType: "openid", memberId: "ou_x" });
 * ```
 */
export class PermissionApi {
  #http: LarkHttp;

  /** Use `http`. */
  constructor(http: LarkHttp) {
    this.#http = http;
  }

  /** Grant a role (`POST …/members`). */
  async add(token: string, m: MemberInput, o: PermissionCallOptions = {}): Promise<Collaborator> {
    const q = checkMember(token, m);
    const { data } = await this.#http.request<{ member?: Record<string, unknown> }>({
      method: "POST",
      path: `/open-apis/drive/v1/permissions/${token}/members`,
      query: { type: q.type, need_notification: m.needNotification },
      body: { member_type: q.memberType, member_id: q.memberId, perm: q.perm, perm_type: m.permType },
      ...this.#common(token, o, "drive_member_create"),
    });
    return collaborator(data?.member ?? {});
  }

  /** Change a collaborator's role (`PUT …/members/:member_id`). */
  async update(token: string, m: MemberInput, o: PermissionCallOptions = {}): Promise<Collaborator> {
    const q = checkMember(token, m);
    const { data } = await this.#http.request<{ member?: Record<string, unknown> }>({
      method: "PUT",
      path: `/open-apis/drive/v1/permissions/${token}/members/${encodeURIComponent(q.memberId)}`,
      query: { type: q.type, need_notification: m.needNotification },
      body: { member_type: q.memberType, perm: q.perm, perm_type: m.permType },
      ...this.#common(token, o, "drive_member_update"),
    });
    return collaborator(data?.member ?? {});
  }

  /** Revoke (`DELETE …/members/:member_id?type=&member_type=`). */
  async remove(
    token: string,
    m: Pick<MemberInput, "type" | "memberType" | "memberId">,
    o: PermissionCallOptions = {},
  ): Promise<void> {
    requireToken("token", token);
    const type = requireOneOf("type", m?.type, DOC_TYPES);
    const memberType = requireOneOf("memberType", m.memberType, MEMBER_TYPES);
    const memberId = requireText("memberId", m.memberId, 256);
    await this.#http.request({
      method: "DELETE",
      path: `/open-apis/drive/v1/permissions/${token}/members/${encodeURIComponent(memberId)}`,
      query: { type, member_type: memberType },
      ...this.#common(token, o, "drive_member_delete"),
    });
  }

  /** Every collaborator (`GET …/members?type=`; one answer, not paged). */
  async list(token: string, type: DocType, o: PermissionCallOptions = {}): Promise<Collaborator[]> {
    requireToken("token", token);
    requireOneOf("type", type, DOC_TYPES);
    const { data } = await this.#http.request<{ items?: Record<string, unknown>[] }>({
      path: `/open-apis/drive/v1/permissions/${token}/members`,
      query: { type },
      ...this.#common(token, o, "drive_member_list"),
    });
    return (data?.items ?? []).map(collaborator);
  }

  #common(token: string, o: PermissionCallOptions, step: string) {
    return { auth: o.auth, signal: o.signal, bucket: "drive_permission", step, ids: { doc_token: token } };
  }
}

function checkMember(token: string, m: MemberInput) {
  requireToken("token", token);
  if (!m || typeof m !== "object") throw new ParamError("member", "缺少协作者信息");
  const type = requireOneOf("type", m.type, DOC_TYPES);
  const memberType = requireOneOf("memberType", m.memberType, MEMBER_TYPES);
  const memberId = requireText("memberId", m.memberId, 256);
  if ((m.perm as string) === "comment") {
    throw new ParamError(
      "perm",
      "飞书协作者接口没有「仅评论」角色，可选 view / edit / full_access（manage）",
    );
  }
  const perm = m.perm === "manage" ? "full_access" : requireOneOf("perm", m.perm, PERMS);
  if (type === "minutes" && perm === "full_access") throw new ParamError("perm", "妙记不支持 full_access");
  if (m.permType !== undefined) {
    if (type !== "wiki") throw new ParamError("permType", "仅知识库（type=wiki）可设置");
    requireOneOf("permType", m.permType, ["container", "single_page"] as const);
  }
  return { type, memberType, memberId, perm };
}

function collaborator(m: Record<string, unknown>): Collaborator {
  const s = (v: unknown) => typeof v === "string" && v !== "" ? v : undefined;
  return {
    memberType: s(m.member_type) ?? "",
    memberId: s(m.member_id) ?? "",
    perm: s(m.perm) ?? "",
    permType: s(m.perm_type),
    type: s(m.type),
    name: s(m.name),
  };
}
