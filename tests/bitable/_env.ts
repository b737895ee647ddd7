/** A sandbox with one seeded Base table, and clients pointed at it. */
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { LarkHttp, type LarkHttpOptions } from "../../lib/http/mod.ts";
import type { Sandbox, SandboxOptions } from "../../sandbox/mod.ts";
import { type BitableFamily, bitableFamily } from "../../sandbox/bitable/store.ts";
import { token, withSandbox } from "../sandbox/_helpers.ts";

/** Base token of the seeded table. */
export const APP = "appTest01";
/** Table id of the seeded table. */
export const TABLE = "tblTasks01";
/** Its fields. */
export const FIELDS = ["名称", "数量", "状态"];

/** What a test gets. */
export interface BaseEnv {
  sandbox: Sandbox;
  base: BitableFamily;
  url: string;
  authHeader: Record<string, string>;
  http: (o?: Partial<LarkHttpOptions>) => LarkHttp;
  /** Journal entries of one endpoint. */
  calls: (name: string) => number;
}

/** Run `fn` against a sandbox with the seeded table. */
export async function withBase(
  fn: (env: BaseEnv) => Promise<void>,
  options: SandboxOptions = {},
): Promise<void> {
  await withSandbox(options, async ({ sandbox, url }) => {
    const base = bitableFamily(sandbox.state);
    base.createTable(APP, TABLE, FIELDS);
    const authHeader = { Authorization: `Bearer ${await token(url)}` };
    const auth = staticAuth("tenant:test", authHeader);
    const http = (o: Partial<LarkHttpOptions> = {}) =>
      new LarkHttp({ baseUrl: url, auth, retry: { baseMs: 1, capMs: 4 }, ...o });
    const calls = (name: string) => sandbox.journal.filter(name).length;
    await fn({ sandbox, base, url, authHeader, http, calls });
  });
}
