/**
 * Auth v3 token endpoints of self-built apps:
 * `POST /open-apis/auth/v3/tenant_access_token/internal` and
 * `POST /open-apis/auth/v3/app_access_token/internal`.
 *
 * Fields are top level (no `data`), and failures are still HTTP 200
 * (open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/tenant_access_token_internal; live probe log, code index file 65986057441, P01/P05):
 * - body not JSON, or `app_id`/`app_secret` missing/empty, or a malformed
 *   unknown `app_id` → `{code:10003, msg:"invalid param", data:{}}` (probe P01/P05,
 *   larksuite/oapi-sdk-java#33);
 * - well-formed (`cli_` + 16 chars) but unknown `app_id` →
 *   `{code:10014, msg:"app id not exists"}` (live observation in excitedjs/dreamux#417);
 * - known app, wrong secret → `{code:10014, msg:"app secret invalid"}`
 *   (larksuite/cli credential tests: "real app_id + wrong secret").
 *
 * @module
 */
import { APP_TOKEN_PATH, TENANT_TOKEN_PATH } from "./endpoints.ts";
export { APP_TOKEN_PATH, TENANT_TOKEN_PATH };
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { sendJson } from "../_respond.ts";
import type { SandboxState } from "../state.ts";
import type { AppTokenKind } from "./tokens.ts";

const WELL_FORMED_APP_ID = /^cli_[0-9a-z]{16}$/;

/** Register the token endpoints on `app`. */
export function registerAppTokenRoutes(app: SandboxApp, state: SandboxState): void {
  app.post(TENANT_TOKEN_PATH, endpoint(state, "tenant_token"), (c) => issueToken(c, state, "tenant"));
  app.post(APP_TOKEN_PATH, endpoint(state, "app_token"), (c) => issueToken(c, state, "app"));
}

async function issueToken(c: SandboxContext, state: SandboxState, kind: AppTokenKind): Promise<Response> {
  const clock = state.clock;
  const invalidParam = () => sendJson(c, clock, { code: 10003, data: {}, msg: "invalid param" });
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return invalidParam();
  }
  const { app_id: appId, app_secret: appSecret } = (body ?? {}) as Record<string, unknown>;
  if (typeof appId !== "string" || appId === "" || typeof appSecret !== "string" || appSecret === "") {
    return invalidParam();
  }
  const known = state.app(appId);
  if (!known) {
    if (!WELL_FORMED_APP_ID.test(appId)) return invalidParam();
    return sendJson(c, clock, { code: 10014, msg: "app id not exists" });
  }
  const entry = c.get("entry");
  if (entry) entry.appId = appId;
  if (known.appSecret !== appSecret) return sendJson(c, clock, { code: 10014, msg: "app secret invalid" });

  const limited = enforceRateLimit(c, state, appId);
  if (limited) return limited;

  const tenant = state.tokens.issue(appId, "tenant");
  if (kind === "tenant") {
    return sendJson(c, clock, {
      code: 0,
      msg: "ok",
      tenant_access_token: tenant.token,
      expire: tenant.expire,
    });
  }
  const appToken = state.tokens.issue(appId, "app");
  return sendJson(c, clock, {
    code: 0,
    msg: "ok",
    app_access_token: appToken.token,
    expire: appToken.expire,
    tenant_access_token: tenant.token,
  });
}
