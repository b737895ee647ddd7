/**
 * PostgreSQL (npm `postgres`) as feishu-kit's stores use it: `postgres://…?schema=name`
 * URLs (one schema per deployment or test run), small pools with a short connect timeout,
 * telling a server-side error from an unreachable server, and advisory locks across hosts.
 *
 * @example
 * ```ts
 * import { openPool, parsePgUrl } from "./mod.ts";
 * const { url, schema } = parsePgUrl("postgres://postgres@127.0.0.1:5432/postgres?schema=feishu_kit");
 * const sql = openPool(url, 2, 5);
 * await sql.end();
 * ```
 *
 * @module
 */
export * from "./pg_pool.ts";
export * from "./advisory_locks.ts";
