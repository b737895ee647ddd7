import { staticAuth } from "../auth/auth_provider.ts";
import type { LarkHttp } from "../http/lark_http.ts";

/** Who a user access token belongs to (`authen/v1/user_info`). */
export interface UserInfo {
  /** Open id (per app). */
  openId: string;
  /** Union id. */
  unionId?: string;
  /** Tenant user id (needs `contact:user.employee_id:readonly`). */
  userId?: string;
  /** Name. */
  name: string;
  /** English name. */
  enName?: string;
  /** Email (needs the email scope). */
  email?: string;
  /** Enterprise email. */
  enterpriseEmail?: string;
  /** Tenant key. */
  tenantKey?: string;
  /** Avatar URL. */
  avatarUrl?: string;
}

/**
 * `GET /open-apis/authen/v1/user_info` with the user's own access token:
 * tells which user just authorized. The token is sent only as a Bearer header.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * declare const tokens: { accessToken: string };
 * const me = await getUserInfo(http, tokens.accessToken);
 * console.log(me.openId, me.name);
 * ```
 */
export async function getUserInfo(
  http: LarkHttp,
  accessToken: string,
  options: { signal?: AbortSignal } = {},
): Promise<UserInfo> {
  const res = await http.request<Record<string, unknown>>({
    path: "/open-apis/authen/v1/user_info",
    auth: staticAuth("user:oauth_login", { Authorization: `Bearer ${accessToken}` }),
    bucket: "authen_user_info",
    step: "authen_user_info",
    signal: options.signal,
  });
  const d = res.data ?? {};
  const s = (k: string) => (typeof d[k] === "string" && d[k] !== "" ? d[k] as string : undefined);
  return {
    openId: s("open_id") ?? "",
    unionId: s("union_id"),
    userId: s("user_id"),
    name: s("name") ?? "",
    enName: s("en_name"),
    email: s("email"),
    enterpriseEmail: s("enterprise_email"),
    tenantKey: s("tenant_key"),
    avatarUrl: s("avatar_url"),
  };
}
