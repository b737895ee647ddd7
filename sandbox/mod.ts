/**
 * A Feishu/Lark sandbox: a Hono app that answers like Feishu, for tests
 * (in-process or over loopback HTTP) and for dry runs (`deno task sandbox`).
 *
 * It answers the Open Platform endpoints our workflows call, with the shapes,
 * error codes (at their documented HTTP statuses), field scopes and
 * frequency limits of the official docs, plus the cookie-authenticated CLM
 * web endpoints, over deterministic seeded data. One folder per API family,
 * one place per endpoint:
 *
 * | folder | endpoints |
 * |---|---|
 * | `auth/` | auth v3 tenant/app tokens, OAuth authorize + v2 token, `user_info`, field scopes |
 * | `contract/` | `contract/v1/contracts/search` |
 * | `clm/` | CLM web: contractAndTask, cooperation info, export, record list (`shapes.ts`: every invented shape) |
 * | `im/` | message list and resource download (`_routes_read.ts`), send (`_routes_send.ts`) |
 * | `contact/` | users, users/batch, find_by_department, departments, children |
 * | `vc/` | meeting recording (and the minutes info/media routes) |
 * | `minutes/` | the media bytes and the signed download link |
 * | `events/` | webhook deliveries, event crypto, long connection (`/callback/ws/endpoint`, pbbp2) |
 * | `messenger/` | the stand-in web messenger (QR login, chats, 下载文件) |
 * | `control/` | `/__sandbox/*` control calls |
 * | `scenarios/` | the seeded worlds and knobs of the export and meeting workflows |
 *
 * Around them: a request journal (`sandbox.journal`, `GET /__sandbox/journal`);
 * the documented rate limits, on by default (`rate_limits.ts`,
 * `defaultRateLimits: false` turns them off); fault injection
 * (`sandbox.faults`, `POST /__sandbox/faults`): error / drop / 429 rates,
 * latency, hangs, `failNext`, token revocation and CLM session expiry.
 * Shapes the official docs do not confirm are listed in `UNCONFIRMED.md`.
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
