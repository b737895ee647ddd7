import type { AuthProvider } from "../auth/auth_provider.ts";
import { ParamError } from "../errors/param_error.ts";
import type { LarkHttp } from "../http/lark_http.ts";
import { type Logger, silentLogger } from "../log/logger.ts";
import type { UserIdType } from "./contact_api.ts";
import { checkEmails, checkMobiles } from "./_validate.ts";

/** Most emails (and, separately, mobiles) per `batch_get_id` call. */
export const BATCH_GET_ID_MAX = 50;

/** The three ids of one user, as seen by one app (`open_id` is per app, `union_id` per developer). */
export interface UserIds {
  /** `ou_…`, only valid for the app that asked. */
  openId?: string;
  /** Tenant-level user id (needs the employee-id scope). */
  userId?: string;
  /** `on_…`, the same for every app of one developer. */
  unionId?: string;
}

/** A found user: the email or mobile asked for, and its ids. */
export interface UserIdMatch extends UserIds {
  /** The email asked for (as given, trimmed). */
  email?: string;
  /** The mobile asked for (as given, without spaces). */
  mobile?: string;
}

/** What to look up. */
export interface UserIdLookupInput {
  /** Emails (any number; sent 50 per call). */
  emails?: readonly string[];
  /** Mobiles (any number; sent 50 per call; non-mainland numbers need "+<country code>"). */
  mobiles?: readonly string[];
  /** Also match resigned users (default false). */
  includeResigned?: boolean;
}

/** Options of {@linkcode lookupUserIds}. */
export interface UserIdLookupOptions {
  /** Id kinds to fetch (default all three; one call per kind and batch). */
  idTypes?: readonly UserIdType[];
  /** Credentials: this API accepts only a tenant token (default the client's). */
  auth?: AuthProvider;
  /** Cancel. */
  signal?: AbortSignal;
  /** INFO lines for addresses that match nobody. */
  logger?: Logger;
}

interface BatchGetIdData {
  user_list?: { user_id?: string; email?: string; mobile?: string }[];
}

const FIELD: Record<UserIdType, keyof UserIds> = {
  open_id: "openId",
  user_id: "userId",
  union_id: "unionId",
};

/**
 * Emails and mobiles → `open_id`, `user_id`, `union_id`
 * (`POST /open-apis/contact/v3/users/batch_get_id`, open.feishu.cn/document/server-docs/contact-v3/user/batch_get_id),
 * 50 of each per call, one call per id kind. Addresses that match nobody (or that the app may not see)
 * are left out of the result and logged at INFO; they are not an error.
 *
 * @example
 * ```ts
 * import type { LarkHttp } from "../http/lark_http.ts";
 *
 * declare const http: LarkHttp;
 * const [zhang] = await lookupUserIds(http, { emails: ["zhangsan@example.com"] });
 * console.log(zhang?.openId, zhang?.unionId);
 * ```
 */
export async function lookupUserIds(
  http: LarkHttp,
  input: UserIdLookupInput,
  o: UserIdLookupOptions = {},
): Promise<UserIdMatch[]> {
  const emails = unique(checkEmails("emails", input.emails ?? []));
  const mobiles = unique(checkMobiles("mobiles", input.mobiles ?? []));
  const types = o.idTypes ?? ["open_id", "user_id", "union_id"];
  if (types.length === 0) throw new ParamError("idTypes", "至少需要一种 ID 类型");
  const found = new Map<string, UserIdMatch>();
  const batches = Math.ceil(Math.max(emails.length, mobiles.length) / BATCH_GET_ID_MAX);
  for (let b = 0; b < batches; b++) {
    const e = emails.slice(b * BATCH_GET_ID_MAX, (b + 1) * BATCH_GET_ID_MAX);
    const m = mobiles.slice(b * BATCH_GET_ID_MAX, (b + 1) * BATCH_GET_ID_MAX);
    for (const type of types) {
      const res = await http.request<BatchGetIdData>({
        method: "POST",
        path: "/open-apis/contact/v3/users/batch_get_id",
        query: { user_id_type: type },
        body: {
          ...(e.length ? { emails: e } : {}),
          ...(m.length ? { mobiles: m } : {}),
          ...(input.includeResigned ? { include_resigned: true } : {}),
        },
        auth: o.auth,
        signal: o.signal,
        bucket: "contact",
        step: "contact_batch_get_id",
      });
      for (const row of res.data?.user_list ?? []) {
        if (!row.user_id) continue;
        const key = row.email !== undefined ? `email:${row.email.toLowerCase()}` : `mobile:${row.mobile}`;
        const match = found.get(key) ??
          (row.email !== undefined ? { email: row.email } : { mobile: row.mobile });
        match[FIELD[type]] = row.user_id;
        found.set(key, match);
      }
    }
  }
  const out: UserIdMatch[] = [];
  const log = o.logger ?? silentLogger;
  for (const email of emails) {
    const hit = found.get(`email:${email.toLowerCase()}`);
    if (hit) out.push({ ...hit, email });
    else log.info("contact.user_not_found", { email });
  }
  for (const mobile of mobiles) {
    const hit = found.get(`mobile:${mobile}`);
    if (hit) out.push({ ...hit, mobile });
    else log.info("contact.user_not_found", { mobile });
  }
  return out;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
