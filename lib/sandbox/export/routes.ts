/**
 * Routes of the sandbox's export family.
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import type { SandboxState } from "../state.ts";

/** Register the export family's routes on the sandbox app. */
export function registerExportRoutes(_app: SandboxApp, _state: SandboxState): void {
  // Filled in by the export family.
}
