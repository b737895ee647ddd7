/**
 * Shared set-up of the contact-service tests: a sandbox with a directory of
 * `extraUsers` generated users and two apps, and clients for each app.
 *
 * @module
 */
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET, type Sandbox } from "../../sandbox/mod.ts";
import { type MeetingSandboxOptions } from "../../sandbox/scenarios/meeting/mod.ts";
import { fetchToken, withSandbox } from "../sandbox/_helpers.ts";

/** The second app of the sandbox. */
export const OTHER_APP = { appId: "cli_b2c3d4e5f6071829", appSecret: "other-secret" };

/** What a test receives. */
export interface ContactEnv {
  /** The sandbox. */
  sandbox: Sandbox;
  /** Base URL. */
  url: string;
  /** A tenant-token client of the default app (or of `OTHER_APP` with `other`). */
  http: (other?: boolean) => Promise<LarkHttp>;
  /** Journal entries of one endpoint. */
  calls: (endpoint: string) => number;
}

/** Run `fn` against a fresh sandbox with two apps. */
export async function withContacts(
  fn: (env: ContactEnv) => Promise<void>,
  meeting: MeetingSandboxOptions = {},
): Promise<void> {
  await withSandbox({
    apps: [{ appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET }, OTHER_APP],
    meeting: { extraUsers: 130, ...meeting },
  }, async ({ sandbox, url }) => {
    const http = async (other = false) => {
      const a = other ? OTHER_APP : { appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET };
      const t = (await fetchToken(url, a.appId, a.appSecret)).body.tenant_access_token;
      return new LarkHttp({
        baseUrl: url,
        auth: staticAuth(`tenant:${a.appId}`, { Authorization: `Bearer ${t}` }),
        retry: { baseMs: 1, capMs: 5 },
      });
    };
    const calls = (endpoint: string) => sandbox.journal.filter(endpoint).length;
    await fn({ sandbox, url, http, calls });
  });
}
