/**
 * Shared set-up of the docs/media/calendar tests: a sandbox, a tenant token
 * and a client factory.
 *
 * @module
 */
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import type { AuthProvider } from "../../lib/auth/auth_provider.ts";
import { LarkHttp, type LarkHttpOptions } from "../../lib/http/mod.ts";
import type { Sandbox, SandboxOptions } from "../../sandbox/mod.ts";
import { token, withSandbox } from "../sandbox/_helpers.ts";

/** What a test receives. */
export interface DocsEnv {
  /** The sandbox. */
  sandbox: Sandbox;
  /** Its base URL. */
  url: string;
  /** Tenant credentials. */
  auth: AuthProvider;
  /** A client (fast retries by default). */
  http: (o?: Partial<LarkHttpOptions>) => LarkHttp;
}

/** Run `fn` against a fresh sandbox with a tenant token. */
export async function withDocs(options: SandboxOptions, fn: (env: DocsEnv) => Promise<void>): Promise<void> {
  await withSandbox(options, async ({ sandbox, url }) => {
    const auth = staticAuth("tenant:test", { Authorization: `Bearer ${await token(url)}` });
    const http = (o: Partial<LarkHttpOptions> = {}) =>
      new LarkHttp({ baseUrl: url, auth, retry: { baseMs: 1, capMs: 5 }, ...o });
    await fn({ sandbox, url, auth, http });
  });
}
