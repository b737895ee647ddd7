/**
 * Routes of the sandbox's meeting family.
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import type { SandboxState } from "../state.ts";

/** Register the meeting family's routes on the sandbox app. */
export function registerMeetingRoutes(_app: SandboxApp, _state: SandboxState): void {
  // Filled in by the meeting family.
}
