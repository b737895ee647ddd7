/** The request as the meeting service's route handlers read it (a Hono `HonoRequest` is one). */
export interface MeetingRequest {
  /** The full URL. */
  readonly url: string;
  /** The HTTP method. */
  readonly method: string;
  /** The underlying `Request` (its body is read from here). */
  readonly raw: Request;
  /** A path parameter (`:id`). */
  param(name: string): string;
  /** A request header (case-insensitive), if present. */
  header(name: string): string | undefined;
}

/** What a meeting service route handler is given (a Hono `Context` is one). */
export interface MeetingContext {
  /** The request. */
  readonly req: MeetingRequest;
  /** Set a header of the response the handler returns. */
  header(name: string, value: string): void;
  /** A `text/plain` answer. */
  text(body: string, status?: number): Response;
  /** A JSON answer. */
  json(body: object, status?: number, headers?: Record<string, string>): Response;
  /** A redirect to `location` (relative to the request's path). */
  redirect(location: string, status?: number): Response;
}

/** A route handler: answers the request. */
export type MeetingHandler = (c: MeetingContext) => Response | Promise<Response>;

/** A middleware: answers the request itself, or calls `next` to pass it on. */
export type MeetingMiddleware = (
  c: MeetingContext,
  next: () => Promise<void>,
) => Promise<Response | void>;

/**
 * Where the meeting service's routes are registered: the part of its Hono app
 * that the route modules use, so they depend on no more of it.
 *
 * @example Register a route
 * ```ts
 * import type { MeetingRoutes } from "./meeting_routes.ts";
 *
 * function registerPing(app: MeetingRoutes): void {
 *   app.get("/ping", (c) => c.text("pong"));
 * }
 * ```
 */
export interface MeetingRoutes {
  /** Run `middleware` before the handlers of paths matching `path` (`*`). */
  use(path: string, middleware: MeetingMiddleware): unknown;
  /** Handle `GET path`. */
  get(path: string, handler: MeetingHandler): unknown;
  /** Handle `POST path`. */
  post(path: string, handler: MeetingHandler): unknown;
}

/**
 * The meeting service's HTTP app as callers use it: one handler for every
 * request (a Hono app is one). Serve it with `Deno.serve`, or call it in tests.
 *
 * @example Answer a request in process
 * ```ts
 * import type { MeetingHttpApp } from "./meeting_routes.ts";
 *
 * declare const app: MeetingHttpApp;
 * const res = await app.fetch(new Request("http://127.0.0.1/healthz"));
 * console.log(res.status);
 * ```
 */
export interface MeetingHttpApp {
  /** Answer one request. */
  fetch(request: Request): Response | Promise<Response>;
}
