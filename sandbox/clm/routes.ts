/**
 * Routes of the CLM web family (contract.feishu.cn, cookie session):
 * contractAndTask and cooperation info (`_routes_chat_lookup.ts`), the
 * export and the record list (`_routes_export.ts`). Every shape is
 * UNCONFIRMED and built by `shapes.ts`.
 *
 * @module
 */
import type { SandboxApp } from "../_env.ts";
import type { SandboxState } from "../state.ts";
import { registerClmLookupRoutes } from "./_routes_chat_lookup.ts";
import { registerClmExportRoutes } from "./_routes_export.ts";

/** Register the CLM web endpoints. */
export function registerClmRoutes(app: SandboxApp, state: SandboxState): void {
  registerClmLookupRoutes(app, state);
  registerClmExportRoutes(app, state);
}
