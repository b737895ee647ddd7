import type { SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { openApiError, sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import type { BitableFamily, SandboxTable } from "./store.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** One checked write request. */
export type Ctx = { c: SandboxContext; state: SandboxState; base: BitableFamily; table: SandboxTable };
/** A write endpoint's logic. */
export type Op = (x: Ctx, body: Record<string, unknown>) => Response;

/** A Base error (HTTP 200 unless `status` says otherwise). */
export function fail(
  c: SandboxContext,
  state: SandboxState,
  code: number,
  msg: string,
  status = 200,
): Response {
  return openApiError(c, state.clock, status, code, msg);
}

/** A success response. */
export function ok(c: SandboxContext, state: SandboxState, data: Record<string, unknown>): Response {
  return sendJson(c, state.clock, { code: 0, msg: "success", data });
}

/** Check the caller, the rate limit, the Base and table, and the JSON body. */
export async function guard(c: SandboxContext, state: SandboxState, base: BitableFamily) {
  const caller = requireCaller(c, meetingFamily(state), { tenant: true, user: true });
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, state, caller.appId);
  if (limited) return limited;
  const appToken = c.req.param("app_token") ?? "";
  const table = base.table(appToken, c.req.param("table_id") ?? "");
  if (!table) {
    return base.hasApp(appToken)
      ? fail(c, state, 1254041, "TableIdNotFound")
      : fail(c, state, 1254040, "BaseTokenNotFound");
  }
  let body: Record<string, unknown> = {};
  if (c.req.method !== "GET" && c.req.method !== "DELETE") {
    try {
      const parsed = await c.req.json();
      if (!parsed || typeof parsed !== "object") throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch {
      return fail(c, state, 1254000, "WrongRequestJson");
    }
  }
  return { table, body };
}

/**
 * Run a write `op`: a malformed `client_token` is refused, a write while another one on the
 * table is applied (or an injected conflict) is 1254291, a repeated `client_token` gets the
 * first answer again.
 */
export async function write(
  c: SandboxContext,
  state: SandboxState,
  base: BitableFamily,
  op: Op,
): Promise<Response> {
  const g = await guard(c, state, base);
  if (g instanceof Response) return g;
  const clientToken = c.req.query("client_token");
  if (clientToken !== undefined && !UUID.test(clientToken)) {
    return fail(
      c,
      state,
      1254037,
      "Invalid client token, make sure that it complies with the specification.",
      400,
    );
  }
  if (base.takeConflict() || g.table.writing) {
    base.conflictsAnswered++;
    return fail(c, state, 1254291, "Write conflict");
  }
  const key = clientToken ? `${c.req.path}|${clientToken}` : undefined;
  const seen = key ? base.clientTokens.get(key) : undefined;
  if (seen) return ok(c, state, seen);
  g.table.writing = true;
  try {
    if (base.writeHoldMs > 0) await state.hangs.wait(base.writeHoldMs);
    const res = op({ c, state, base, table: g.table }, g.body);
    if (key && res.status === 200) {
      const answer = await res.clone().json() as { code: number; data: Record<string, unknown> };
      if (answer.code === 0) base.clientTokens.set(key, answer.data);
    }
    return res;
  } finally {
    g.table.writing = false;
  }
}
