import { jsonObject } from "../_json_body.ts";
import type { SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import type { EndpointName } from "../endpoints.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { apaasError, missingScope } from "./_errors.ts";
import { type Row, SyntaxProblem } from "./_postgrest.ts";
import { apaasStore, type ApaasTable } from "./store.ts";

/** Most records per write call. */
export const APAAS_WRITE_MAX = 500;

/** A checked request on a workspace. */
export interface WorkspaceRequest {
  c: SandboxContext;
  state: SandboxState;
  workspace: Map<string, ApaasTable>;
}

/** A checked request on a table, with its column names. */
export interface TableRequest {
  c: SandboxContext;
  state: SandboxState;
  table: ApaasTable;
  cols: Set<string>;
}

/** The middlewares of a workspace endpoint: a user token with one of `scopes`, within the rate limit. */
export function workspaceRoute(
  state: SandboxState,
  name: EndpointName,
  scopes: string[],
  h: (x: WorkspaceRequest) => Response,
) {
  return [endpoint(state, name), (c: SandboxContext) => {
    const workspace = openWorkspace(c, state, scopes);
    return workspace instanceof Response ? workspace : h({ c, state, workspace });
  }] as const;
}

/** The middlewares of a table endpoint: as {@linkcode workspaceRoute}, then the table; filter syntax errors answered. */
export function tableRoute(
  state: SandboxState,
  name: EndpointName,
  scopes: string[],
  h: (x: TableRequest) => Response | Promise<Response>,
) {
  return [endpoint(state, name), async (c: SandboxContext) => {
    const workspace = openWorkspace(c, state, scopes);
    if (workspace instanceof Response) return workspace;
    const table = workspace.get(c.req.param("table_name") ?? "");
    if (!table) return apaasError(c, state, "notFound", "table not found");
    try {
      return await h({ c, state, table, cols: new Set(table.columns.map((x) => x.name)) });
    } catch (e) {
      if (e instanceof SyntaxProblem) return apaasError(c, state, "paramInvalid", e.message);
      throw e;
    }
  }] as const;
}

/** The caller (a user token with one of `scopes`, within the rate limit) and the workspace, or the error response. */
function openWorkspace(
  c: SandboxContext,
  state: SandboxState,
  scopes: string[],
): Response | Map<string, ApaasTable> {
  const caller = requireCaller(c, meetingFamily(state), { tenant: false, user: true });
  if (caller instanceof Response) return caller;
  const limited = enforceRateLimit(c, state, caller.appId);
  if (limited) return limited;
  if (caller.kind === "user" && !scopes.some((s) => caller.token.scope.includes(s))) {
    return missingScope(c, state, scopes);
  }
  const ws = apaasStore(state).workspaces.get(c.req.param("workspace_id") ?? "");
  return ws ?? apaasError(c, state, "notFound", "workspace not found");
}

/** A success response. */
export function ok(c: SandboxContext, state: SandboxState, data: unknown): Response {
  return sendJson(c, state.clock, { code: 0, msg: "success", data });
}

/** `page_size` (1…`max`, default `def`) and the offset in `page_token` (`ap_<n>`), or the error response. */
export function paging(
  c: SandboxContext,
  state: SandboxState,
  max: number,
  def: number,
): Response | { size: number; offset: number } {
  const raw = c.req.query("page_size");
  const size = raw === undefined ? def : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > max) {
    return apaasError(c, state, "paramInvalid", `page_size must be between 1 and ${max}`, "page_size");
  }
  const token = c.req.query("page_token") ?? "";
  const m = /^ap_(\d+)$/.exec(token);
  if (token !== "" && !m) {
    return apaasError(c, state, "paramInvalid", "page_token is invalid", "page_token");
  }
  return { size, offset: m ? Number(m[1]) : 0 };
}

/** The next page's token (`""` on the last page). */
export function nextPageToken(p: { size: number; offset: number }, total: number): string {
  return p.offset + p.size < total ? `ap_${p.offset + p.size}` : "";
}

/** A body field holding a JSON string (an array of ≤ 500, or an object), parsed; or the error response. */
export async function jsonField(
  c: SandboxContext,
  state: SandboxState,
  field: string,
  array: boolean,
): Promise<unknown> {
  const body = await jsonObject(c);
  if (!body) return apaasError(c, state, "paramInvalid", "body is not valid JSON", "body");
  if (typeof body[field] !== "string") {
    return apaasError(c, state, "paramInvalid", `${field} must be a JSON string`, field);
  }
  let v: unknown;
  try {
    v = JSON.parse(body[field] as string);
  } catch {
    return apaasError(c, state, "paramInvalid", `${field} is not valid JSON`, field);
  }
  if (array !== Array.isArray(v) || typeof v !== "object" || v === null) {
    return apaasError(
      c,
      state,
      "paramInvalid",
      `${field} must be a JSON ${array ? "array" : "object"}`,
      field,
    );
  }
  if (array && (v as unknown[]).length > APAAS_WRITE_MAX) {
    return apaasError(c, state, "paramInvalid", `at most ${APAAS_WRITE_MAX} records per call`, field);
  }
  return v;
}

/** A problem with `rows` (unknown column, missing/duplicate `_id`), or undefined. */
export function checkRows(rows: Row[], cols: Set<string>, needId: boolean): string | undefined {
  const seen = new Set<unknown>();
  let keys: string | undefined;
  for (const r of rows) {
    if (typeof r !== "object" || r === null || Array.isArray(r)) return "each record must be an object";
    for (const k of Object.keys(r)) if (!cols.has(k)) return `column "${k}" does not exist`;
    if (needId) {
      if (typeof r._id !== "string") return "each record needs _id";
      if (seen.has(r._id)) return `duplicate _id ${r._id}`;
      seen.add(r._id);
      const these = Object.keys(r).filter((k) => k !== "_version").sort().join(",");
      if (keys !== undefined && keys !== these) return "every record must update the same columns";
      keys = these;
    }
  }
  return undefined;
}
