/**
 * Routes of the aPaaS family: workspace tables and records
 * (`_routes_tables.ts`), functions and flows (`_routes_runtime.ts`).
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import type { SandboxState } from "../state.ts";
import { registerApaasRuntimeRoutes } from "./_routes_runtime.ts";
import { registerApaasTableRoutes } from "./_routes_tables.ts";

/** Register the aPaaS endpoints. */
export function registerApaasRoutes(app: SandboxApp, state: SandboxState): void {
  registerApaasTableRoutes(app, state);
  registerApaasRuntimeRoutes(app, state);
}
