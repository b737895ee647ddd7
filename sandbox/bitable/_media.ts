import type { Next } from "hono";
import type { SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { rangedResponse } from "../_range.ts";
import { requireCaller } from "../auth/_bearer.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import type { BitableFamily } from "./store.ts";
import { fail } from "./_request.ts";

/** `GET …/medias/:file_token/download` of a Base attachment; other file tokens fall through (`next`). */
export async function media(c: SandboxContext, next: Next, state: SandboxState, base: BitableFamily) {
  const file = base.attachments.get(c.req.param("file_token") ?? "");
  if (!file) return await next();
  return await endpoint(state, "bitable_media_download")(c, () => Promise.resolve()) ??
    serveMedia(c, state, file);
}

function serveMedia(
  c: SandboxContext,
  state: SandboxState,
  file: { bytes: Uint8Array<ArrayBuffer>; name: string; type: string; tableId: string; advanced: boolean },
): Response {
  const caller = requireCaller(c, meetingFamily(state), { tenant: true, user: true });
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, state, caller.appId);
  if (limited) return limited;
  if (file.advanced) {
    let tableId: unknown;
    try {
      tableId = JSON.parse(c.req.query("extra") ?? "").bitablePerm?.tableId;
    } catch {
      tableId = undefined;
    }
    if (tableId !== file.tableId) return fail(c, state, 1061002, "params error: extra", 400);
  }
  return rangedResponse(file.bytes, c.req.header("range"), {
    "content-type": file.type,
    "content-disposition": `attachment; filename="${encodeURIComponent(file.name)}"`,
  });
}
