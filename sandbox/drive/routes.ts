/**
 * drive v1: collaborators (`_permission_routes.ts`) and media (`_media_routes.ts`),
 * sharing the docs family's state with docx.
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import { docsFamily } from "../docx/family.ts";
import type { SandboxState } from "../state.ts";
import { registerMediaRoutes } from "./_media_routes.ts";
import { registerPermissionRoutes } from "./_permission_routes.ts";

/** Register the drive endpoints. */
export function registerDriveRoutes(app: SandboxApp, state: SandboxState): void {
  const fam = docsFamily(state);
  registerPermissionRoutes(app, state, fam);
  registerMediaRoutes(app, state, fam);
}
