/**
 * Routes of the sandbox's export family: the CLM export endpoint, the IM
 * Open API endpoints, the messenger web app and the family's control
 * endpoints.
 *
 * @module
 */
import type { SandboxApp } from "../../_env.ts";
import type { SandboxState } from "../../state.ts";
import { registerClmExportRoute } from "../../clm/_routes_export.ts";
import { registerExportControlRoutes } from "../../control/_export.ts";
import { registerImRoutes } from "../../im/_routes_read.ts";
import { registerMessengerRoutes } from "../../messenger/routes.ts";

/** Register the export family's routes on the sandbox app. */
export function registerExportRoutes(app: SandboxApp, state: SandboxState): void {
  registerExportControlRoutes(app, state);
  registerClmExportRoute(app, state);
  registerImRoutes(app, state);
  registerMessengerRoutes(app, state);
}
