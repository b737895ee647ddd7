/**
 * A Feishu/Lark sandbox: a Hono app that answers like Feishu, for tests
 * (in-process or over loopback HTTP) and for dry runs (`deno task sandbox`).
 *
 * It serves the auth v3 token endpoints, contract search, and the
 * cookie-authenticated CLM web endpoints over a deterministic, seeded data
 * set, with Feishu's shapes, error codes and rate-limit headers
 * (shared/docs/feishu-api.md), plus:
 *
 * - a request journal (`sandbox.journal`, `GET /__sandbox/journal`);
 * - per-endpoint rate limits with `x-ogw-ratelimit-*` headers;
 * - fault injection (`sandbox.faults`, `POST /__sandbox/faults`): error /
 *   drop / 429 rates, latency, hangs, `failNext`, token revocation and CLM
 *   session expiry (answered as 401 JSON, a 302 to a login page, or HTML 200).
 *
 * Route modules live in `routes/` (one per API family) and share a
 * {@linkcode SandboxState}.
 *
 * @example
 * ```ts
 * import { createSandbox } from "./mod.ts";
 *
 * const sandbox = createSandbox({ seed: 42 });
 * const server = await sandbox.listen({ port: 0 });
 * const res = await fetch(`${server.url}/open-apis/auth/v3/tenant_access_token/internal`, {
 *   method: "POST",
 *   headers: { "content-type": "application/json; charset=utf-8" },
 *   body: JSON.stringify({ app_id: "cli_a1b2c3d4e5f60718", app_secret: "sandbox-secret" }),
 * });
 * console.log((await res.json()).tenant_access_token, sandbox.journal.count("tenant_token"));
 * await server.close();
 * ```
 *
 * @module
 */
export * from "./sandbox.ts";
export * from "./options.ts";
export * from "./state.ts";
export * from "./endpoints.ts";
export * from "./contract/data.ts";
export * from "./journal.ts";
export * from "./faults.ts";
export * from "./rate_limits.ts";
export * from "./auth/tokens.ts";
export * from "./clm/sessions.ts";
export { createApp } from "./app.ts";
export type { SandboxApp, SandboxEnv } from "./_env.ts";
export { applyFaultRequest, type FailNextRequest, type FaultRequest } from "./control/routes.ts";
