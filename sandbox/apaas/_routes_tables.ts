/**
 * Workspace tables and records (user access token only, 10/s):
 * - `GET …/workspaces/:workspace_id/tables?page_size=&page_token=` → `data.{items[]{name, description}, has_more, page_token}`;
 * - `GET …/tables/:table_name` → `data.{name, description, columns[]}`;
 * - `GET …/tables/:table_name/records?select=&filter=&order=&page_size=(1–500, default 10)&page_token=`
 *   → `data.{items: "<JSON array string>", total, has_more, page_token}`;
 * - `POST …/records` `{records: "<JSON array string>" (≤ 500)}` → `data.record_ids[]` (row quota → quota error);
 * - `PATCH …/records?filter=` `{record: "<JSON string>"}` → `data.record_ids[]` (partial update);
 * - `PATCH …/records_batch_update` `{records: "<JSON array string>" (≤ 500, each with _id)}` → `data.record_ids[]`;
 *   a row whose `_version` differs from the stored one → version conflict, nothing written;
 * - `DELETE …/records?filter=` (filter required) → `data.record_ids[]`.
 *
 * Scopes: tables `app_engine:workspace.table:read`; record reads
 * `app_engine:workspace.table.record:read`; writes `…record:write` (write also allows reads).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { enforceRateLimit } from "../_guards.ts";
import { endpoint } from "../_middleware.ts";
import { sendJson } from "../_respond.ts";
import { requireCaller } from "../auth/_bearer.ts";
import type { EndpointName } from "../endpoints.ts";
import { meetingFamily } from "../scenarios/meeting/family.ts";
import type { SandboxState } from "../state.ts";
import { APAAS_PATHS } from "./endpoints.ts";
import { apaasError, missingScope } from "./_errors.ts";
import { applyOrder, applySelect, compileFilter, type Row, SyntaxProblem } from "./_postgrest.ts";
import { apaasStore, type ApaasTable } from "./store.ts";

/** Most records per write call. */
export const APAAS_WRITE_MAX = 500;
/** Largest `page_size` of record queries. */
export const APAAS_MAX_PAGE_SIZE = 500;

const READ_TABLE = ["app_engine:workspace.table:read", "app_engine:workspace.table:write"];
const READ_RECORDS = ["app_engine:workspace.table.record:read", "app_engine:workspace.table.record:write"];
const WRITE_RECORDS = ["app_engine:workspace.table.record:write"];

type Handler = (c: SandboxContext, table: ApaasTable, columns: Set<string>) => Response | Promise<Response>;

/** Register the workspace table routes. */
export function registerApaasTableRoutes(app: SandboxApp, state: SandboxState): void {
  const family = meetingFamily(state);
  const guard = (
    name: EndpointName,
    scopes: string[],
    needTable: boolean,
    h: Handler | ((c: SandboxContext) => Response),
  ) =>
    [
      endpoint(state, name),
      async (c: SandboxContext) => {
        const caller = requireCaller(c, family, { tenant: false, user: true });
        if (caller instanceof Response) return caller;
        const limited = enforceRateLimit(c, state, caller.appId);
        if (limited) return limited;
        if (caller.kind === "user" && !scopes.some((s) => caller.token.scope.includes(s))) {
          return missingScope(c, state, scopes);
        }
        const ws = apaasStore(state).workspaces.get(c.req.param("workspace_id") ?? "");
        if (!ws) return apaasError(c, state, "notFound", "workspace not found");
        if (!needTable) return (h as (c: SandboxContext) => Response)(c);
        const table = ws.get(c.req.param("table_name") ?? "");
        if (!table) return apaasError(c, state, "notFound", "table not found");
        try {
          return await (h as Handler)(c, table, new Set(table.columns.map((x) => x.name)));
        } catch (e) {
          if (e instanceof SyntaxProblem) return apaasError(c, state, "paramInvalid", e.message);
          throw e;
        }
      },
    ] as const;
  const ok = (c: SandboxContext, data: unknown) =>
    sendJson(c, state.clock, { code: 0, msg: "success", data });
  const paging = (c: SandboxContext, max: number, def: number) => {
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
  };

  app.get(
    APAAS_PATHS.tables,
    ...guard("apaas_table_list", READ_TABLE, false, (c: SandboxContext) => {
      const p = paging(c, 100, 20);
      if (p instanceof Response) return p;
      const all = [...apaasStore(state).workspaces.get(c.req.param("workspace_id") ?? "")!.values()];
      const more = p.offset + p.size < all.length;
      return ok(c, {
        items: all.slice(p.offset, p.offset + p.size).map((t) => ({
          name: t.name,
          description: t.description,
        })),
        has_more: more,
        page_token: more ? `ap_${p.offset + p.size}` : "",
      });
    }),
  );
  app.get(
    APAAS_PATHS.table,
    ...guard("apaas_table_get", READ_TABLE, true, (c, t) => {
      return ok(c, { name: t.name, description: t.description, columns: t.columns });
    }),
  );
  app.get(
    APAAS_PATHS.records,
    ...guard("apaas_records_get", READ_RECORDS, true, (c, t, cols) => {
      const p = paging(c, APAAS_MAX_PAGE_SIZE, 10);
      if (p instanceof Response) return p;
      const rows = t.rows.filter(compileFilter(c.req.query("filter"), cols));
      applyOrder(rows, c.req.query("order"), cols);
      const select = c.req.query("select");
      const page = rows.slice(p.offset, p.offset + p.size).map((r) => applySelect(r, select, cols));
      const more = p.offset + p.size < rows.length;
      return ok(c, {
        items: JSON.stringify(page),
        total: rows.length,
        has_more: more,
        page_token: more ? `ap_${p.offset + p.size}` : "",
      });
    }),
  );
  app.post(
    APAAS_PATHS.records,
    ...guard("apaas_records_post", WRITE_RECORDS, true, async (c, t, cols) => {
      const records = await jsonField(c, "records", true);
      if (records instanceof Response) return records;
      const list = records as Row[];
      const bad = checkRows(list, cols, false);
      if (bad) return apaasError(c, state, "paramInvalid", bad, "records");
      if (t.rows.length + list.length > t.quota) {
        return apaasError(c, state, "quotaExceeded", `table record quota exceeded (${t.quota} rows)`);
      }
      const store = apaasStore(state);
      const ids = list.map((r) => {
        const row: Row = { ...Object.fromEntries([...cols].map((k) => [k, null])), ...r };
        row._id = store.newId();
        row._version = 1;
        t.rows.push(row);
        return row._id;
      });
      return ok(c, { record_ids: ids });
    }),
  );
  app.patch(
    APAAS_PATHS.records,
    ...guard("apaas_records_patch", WRITE_RECORDS, true, async (c, t, cols) => {
      const filter = c.req.query("filter");
      if (!filter) return apaasError(c, state, "paramInvalid", "filter is required", "filter");
      const record = await jsonField(c, "record", false);
      if (record instanceof Response) return record;
      const bad = checkRows([record as Row], cols, false);
      if (bad) return apaasError(c, state, "paramInvalid", bad, "record");
      const rows = t.rows.filter(compileFilter(filter, cols));
      for (const r of rows) Object.assign(r, record, { _version: Number(r._version) + 1 });
      return ok(c, { record_ids: rows.map((r) => r._id) });
    }),
  );
  app.delete(
    APAAS_PATHS.records,
    ...guard("apaas_records_delete", WRITE_RECORDS, true, (c, t, cols) => {
      const filter = c.req.query("filter");
      if (!filter) return apaasError(c, state, "paramInvalid", "filter is required", "filter");
      const match = compileFilter(filter, cols);
      const gone = t.rows.filter(match);
      t.rows = t.rows.filter((r) => !match(r));
      return ok(c, { record_ids: gone.map((r) => r._id) });
    }),
  );
  app.patch(
    APAAS_PATHS.batchUpdate,
    ...guard("apaas_records_batch_update", WRITE_RECORDS, true, async (c, t, cols) => {
      const records = await jsonField(c, "records", true);
      if (records instanceof Response) return records;
      const list = records as Row[];
      const bad = checkRows(list, cols, true);
      if (bad) return apaasError(c, state, "paramInvalid", bad, "records");
      const byId = new Map(t.rows.map((r) => [r._id, r]));
      for (const r of list) {
        const row = byId.get(r._id);
        if (!row) return apaasError(c, state, "notFound", `record ${r._id} not found`);
        if (r._version !== undefined && r._version !== row._version) {
          return apaasError(
            c,
            state,
            "versionConflict",
            `record ${r._id} version conflict: ${r._version} != ${row._version}`,
          );
        }
      }
      for (const r of list) {
        const row = byId.get(r._id)!;
        Object.assign(row, r, { _version: Number(row._version) + 1 });
      }
      return ok(c, { record_ids: list.map((r) => r._id) });
    }),
  );

  async function jsonField(c: SandboxContext, field: string, array: boolean): Promise<unknown> {
    let body: Record<string, unknown>;
    try {
      body = await c.req.json();
    } catch {
      return apaasError(c, state, "paramInvalid", "body is not valid JSON", "body");
    }
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
}

/** A problem with `rows` (unknown column, missing/duplicate `_id`), or undefined. */
function checkRows(rows: Row[], cols: Set<string>, needId: boolean): string | undefined {
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
