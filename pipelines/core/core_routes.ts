/** The request as core route handlers read it (a Hono `HonoRequest` is one). */
export interface CoreRequest {
  /** A path parameter (`:app_id`). */
  param(name: string): string;
  /** A query parameter, if present. */
  query(name: string): string | undefined;
  /** A request header (case-insensitive), if present. */
  header(name: string): string | undefined;
  /** The body parsed as JSON (rejects when it is not JSON). */
  json(): Promise<unknown>;
}

/** What a core route handler is given (a Hono `Context<CoreEnv>` is one). */
export interface CoreContext {
  /** The request. */
  req: CoreRequest;
  /** The request id every answer carries (`CoreEnv`). */
  get(key: "requestId"): string;
}

/** A route handler: answers the request. */
export type CoreHandler = (c: CoreContext) => Response | Promise<Response>;

/** A middleware: answers the request itself, or calls `next` to pass it on. */
export type CoreMiddleware = (c: CoreContext, next: () => Promise<void>) => Promise<Response | void>;

/**
 * Where core routes are registered: the part of the core service's Hono app
 * (`Hono<CoreEnv>`) that route modules use, so they depend on no more of it.
 *
 * @example Register a route
 * ```ts
 * import type { CoreRoutes } from "./core_routes.ts";
 *
 * function registerPing(app: CoreRoutes): void {
 *   app.get("/ping", (c) => Response.json({ request_id: c.get("requestId") }));
 * }
 * ```
 */
export interface CoreRoutes {
  /** Run `middleware` before the handlers of paths matching `path` (`/admin/*`). */
  use(path: string, middleware: CoreMiddleware): unknown;
  /** Handle `GET path`. */
  get(path: string, handler: CoreHandler): unknown;
  /** Handle `POST path`. */
  post(path: string, handler: CoreHandler): unknown;
  /** Handle `PATCH path`. */
  patch(path: string, handler: CoreHandler): unknown;
  /** Handle `DELETE path`. */
  delete(path: string, handler: CoreHandler): unknown;
}
