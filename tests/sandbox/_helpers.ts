/**
 * Helpers for the sandbox tests: start a sandbox on 127.0.0.1:0 and make
 * requests that always consume the body.
 *
 * @module
 */
import {
  createSandbox,
  DEFAULT_APP_ID,
  DEFAULT_APP_SECRET,
  DEFAULT_SESSION,
  type Sandbox,
  type SandboxOptions,
  type SandboxServer,
} from "../../sandbox/mod.ts";

/** What a test body receives. */
export interface Ctx {
  /** The sandbox under test. */
  sandbox: Sandbox;
  /** Its server. */
  server: SandboxServer;
  /** Base URL. */
  url: string;
}

/** Run `fn` against a fresh sandbox served on 127.0.0.1:0, closing it afterwards. */
export async function withSandbox(options: SandboxOptions, fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  const sandbox = createSandbox(options);
  const server = await sandbox.listen({ port: 0 });
  try {
    await fn({ sandbox, server, url: server.url });
  } finally {
    await server.close();
  }
}

/** A consumed response. */
export interface Answer {
  /** HTTP status. */
  status: number;
  /** Headers. */
  headers: Headers;
  /** Body text. */
  text: string;
  /** Parsed JSON body (undefined when not JSON). */
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** Fetch and read the whole body. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** POST JSON. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return call(url, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  });
}

/** Path of the tenant token endpoint. */
export const TENANT_TOKEN = "/open-apis/auth/v3/tenant_access_token/internal";
/** Path of the app token endpoint. */
export const APP_TOKEN = "/open-apis/auth/v3/app_access_token/internal";
/** Contract search path with the required query. */
export const SEARCH = "/open-apis/contract/v1/contracts/search?user_id_type=user_id";
/** CLM contract-and-task path. */
export const CONTRACT_AND_TASK = "/clm/api/workflow/composition/contractAndTask";
/** CLM cooperation info path. */
export const COOPERATION_INFO = "/clm/api/cooperation/info";

/** Fetch a tenant token with the default credentials (or the given ones). */
export function fetchToken(
  url: string,
  appId = DEFAULT_APP_ID,
  appSecret = DEFAULT_APP_SECRET,
): Promise<Answer> {
  return postJson(url + TENANT_TOKEN, { app_id: appId, app_secret: appSecret });
}

/** Fetch a tenant token and return just its text. */
export async function token(url: string): Promise<string> {
  const a = await fetchToken(url);
  if (a.body?.code !== 0) throw new Error(`token fetch failed: ${a.text}`);
  return a.body.tenant_access_token;
}

/** Search one contract number with a Bearer token. */
export function search(url: string, bearer: string, contractNumber: string): Promise<Answer> {
  return postJson(url + SEARCH, { contract_number: contractNumber }, { authorization: `Bearer ${bearer}` });
}

/** GET a CLM endpoint with the `session` cookie (default: the default session; `null` = no cookie). */
export function clmGet(
  url: string,
  pathAndQuery: string,
  session: string | null = DEFAULT_SESSION,
): Promise<Answer> {
  const headers: Record<string, string> = session === null ? {} : { cookie: `session=${session}` };
  return call(url + pathAndQuery, { headers, redirect: "manual" });
}
