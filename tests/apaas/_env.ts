/**
 * Shared set-up of the aPaaS tests: a sandbox, user-token and tenant-token
 * clients, and the journal.
 *
 * @module
 */
import { type AuthProvider, staticAuth } from "../../lib/auth/auth_provider.ts";
import { LarkHttp, type LarkHttpOptions } from "../../lib/http/mod.ts";
import { type Sandbox, type SandboxOptions } from "../../sandbox/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { token, withSandbox } from "../sandbox/_helpers.ts";

/** Every aPaaS table scope. */
export const ALL_SCOPES = [
  "app_engine:workspace.table:read",
  "app_engine:workspace.table.record:read",
  "app_engine:workspace.table.record:write",
];

/** What a test receives. */
export interface ApaasEnv {
  /** The sandbox. */
  sandbox: Sandbox;
  /** Base URL. */
  url: string;
  /** A user token (of 张三) with these scopes, as an auth provider. */
  user: (scopes?: string[]) => AuthProvider;
  /** The tenant token as an auth provider. */
  tenant: AuthProvider;
  /** A client with `auth` as default. */
  http: (o?: Partial<LarkHttpOptions>) => LarkHttp;
  /** Journal entries of one endpoint. */
  calls: (endpoint: string) => number;
}

/** Run `fn` against a fresh sandbox. */
export async function withApaas(
  fn: (env: ApaasEnv) => Promise<void>,
  options: SandboxOptions = {},
): Promise<void> {
  await withSandbox(options, async ({ sandbox, url }) => {
    const fam = meetingFamily(sandbox);
    const appId = sandbox.state.options.apps[0].appId;
    const user = (scopes = ALL_SCOPES) => {
      const t = fam.userTokens.issue(appId, fam.directory.users[0].openId, scopes, sandbox.state.clock.now());
      return staticAuth(`user:${appId}:zhangsan`, { Authorization: `Bearer ${t.access.value}` });
    };
    const tenant = staticAuth(`tenant:${appId}`, { Authorization: `Bearer ${await token(url)}` });
    const http = (o: Partial<LarkHttpOptions> = {}) =>
      new LarkHttp({ baseUrl: url, auth: tenant, retry: { baseMs: 1, capMs: 5 }, ...o });
    await fn({ sandbox, url, user, tenant, http, calls: (e) => sandbox.journal.filter(e).length });
  });
}
