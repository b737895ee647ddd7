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
import type { SandboxApp } from "../_env.ts";
import type { SandboxState } from "../state.ts";
import { APAAS_PATHS } from "./endpoints.ts";
import { apaasError } from "./_errors.ts";
import { applyOrder, applySelect, compileFilter, type Row } from "./_postgrest.ts";
import { apaasStore } from "./store.ts";
import {
  checkRows,
  jsonField,
  nextPageToken,
  ok,
  paging,
  type TableRequest,
  tableRoute,
  type WorkspaceRequest,
  workspaceRoute,
} from "./_table_request.ts";

export { APAAS_WRITE_MAX } from "./_table_request.ts";
/** Largest `page_size` of record queries. */
export const APAAS_MAX_PAGE_SIZE = 500;

const READ_TABLE = ["app_engine:workspace.table:read", "app_engine:workspace.table:write"];
const READ_RECORDS = ["app_engine:workspace.table.record:read", "app_engine:workspace.table.record:write"];
const WRITE_RECORDS = ["app_engine:workspace.table.record:write"];

/** Register the workspace table routes. */
export function registerApaasTableRoutes(app: SandboxApp, state: SandboxState): void {
  const P = APAAS_PATHS;
  app.get(P.tables, ...workspaceRoute(state, "apaas_table_list", READ_TABLE, listTables));
  app.get(P.table, ...tableRoute(state, "apaas_table_get", READ_TABLE, describeTable));
  app.get(P.records, ...tableRoute(state, "apaas_records_get", READ_RECORDS, queryRecords));
  app.post(P.records, ...tableRoute(state, "apaas_records_post", WRITE_RECORDS, insertRecords));
  app.patch(P.records, ...tableRoute(state, "apaas_records_patch", WRITE_RECORDS, patchRecords));
  app.delete(P.records, ...tableRoute(state, "apaas_records_delete", WRITE_RECORDS, deleteRecords));
  app.patch(P.batchUpdate, ...tableRoute(state, "apaas_records_batch_update", WRITE_RECORDS, batchUpdate));
}

function listTables({ c, state, workspace }: WorkspaceRequest): Response {
  const p = paging(c, state, 100, 20);
  if (p instanceof Response) return p;
  const all = [...workspace.values()];
  return ok(c, state, {
    items: all.slice(p.offset, p.offset + p.size).map((t) => ({ name: t.name, description: t.description })),
    has_more: p.offset + p.size < all.length,
    page_token: nextPageToken(p, all.length),
  });
}

function describeTable({ c, state, table: t }: TableRequest): Response {
  return ok(c, state, { name: t.name, description: t.description, columns: t.columns });
}

function queryRecords({ c, state, table: t, cols }: TableRequest): Response {
  const p = paging(c, state, APAAS_MAX_PAGE_SIZE, 10);
  if (p instanceof Response) return p;
  const rows = t.rows.filter(compileFilter(c.req.query("filter"), cols));
  applyOrder(rows, c.req.query("order"), cols);
  const select = c.req.query("select");
  const page = rows.slice(p.offset, p.offset + p.size).map((r) => applySelect(r, select, cols));
  return ok(c, state, {
    items: JSON.stringify(page),
    total: rows.length,
    has_more: p.offset + p.size < rows.length,
    page_token: nextPageToken(p, rows.length),
  });
}

async function insertRecords({ c, state, table: t, cols }: TableRequest): Promise<Response> {
  const records = await jsonField(c, state, "records", true);
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
  return ok(c, state, { record_ids: ids });
}

async function patchRecords({ c, state, table: t, cols }: TableRequest): Promise<Response> {
  const filter = c.req.query("filter");
  if (!filter) return apaasError(c, state, "paramInvalid", "filter is required", "filter");
  const record = await jsonField(c, state, "record", false);
  if (record instanceof Response) return record;
  const bad = checkRows([record as Row], cols, false);
  if (bad) return apaasError(c, state, "paramInvalid", bad, "record");
  const rows = t.rows.filter(compileFilter(filter, cols));
  for (const r of rows) Object.assign(r, record, { _version: Number(r._version) + 1 });
  return ok(c, state, { record_ids: rows.map((r) => r._id) });
}

function deleteRecords({ c, state, table: t, cols }: TableRequest): Response {
  const filter = c.req.query("filter");
  if (!filter) return apaasError(c, state, "paramInvalid", "filter is required", "filter");
  const match = compileFilter(filter, cols);
  const gone = t.rows.filter(match);
  t.rows = t.rows.filter((r) => !match(r));
  return ok(c, state, { record_ids: gone.map((r) => r._id) });
}

/** All or nothing: every row must exist and carry the stored `_version` (when it carries one). */
async function batchUpdate({ c, state, table: t, cols }: TableRequest): Promise<Response> {
  const records = await jsonField(c, state, "records", true);
  if (records instanceof Response) return records;
  const list = records as Row[];
  const bad = checkRows(list, cols, true);
  if (bad) return apaasError(c, state, "paramInvalid", bad, "records");
  const byId = new Map(t.rows.map((r) => [r._id, r]));
  for (const r of list) {
    const row = byId.get(r._id);
    if (!row) return apaasError(c, state, "notFound", `record ${r._id} not found`);
    if (r._version !== undefined && r._version !== row._version) {
      const msg = `record ${r._id} version conflict: ${r._version} != ${row._version}`;
      return apaasError(c, state, "versionConflict", msg);
    }
  }
  for (const r of list) {
    const row = byId.get(r._id)!;
    Object.assign(row, r, { _version: Number(row._version) + 1 });
  }
  return ok(c, state, { record_ids: list.map((r) => r._id) });
}
