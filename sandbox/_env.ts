/**
 * Hono environment shared by the sandbox's middleware and route modules.
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { EndpointInfo } from "./endpoints.ts";
import type { JournalEntry } from "./journal.ts";

/** Per-request variables set by the sandbox middleware. */
export interface SandboxVariables {
  /** The journal entry of this request (absent for control endpoints). */
  entry?: JournalEntry;
  /** The endpoint being answered (set by the endpoint middleware). */
  endpoint?: EndpointInfo;
}

/** Hono environment of the sandbox app. */
export type SandboxEnv = { Variables: SandboxVariables };

/** Hono app type of the sandbox. */
export type SandboxApp = Hono<SandboxEnv>;

/** Hono context type of the sandbox. */
export type SandboxContext = Context<SandboxEnv>;

/** Middleware type of the sandbox. */
export type SandboxMiddleware = MiddlewareHandler<SandboxEnv>;
