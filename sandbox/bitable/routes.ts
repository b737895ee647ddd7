/**
 * Base records (bitable v1; open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/…),
 * tenant or user token:
 * - `POST …/records?client_token=` `{fields}` → `data.record{fields, id, record_id}`;
 * - `PUT …/records/:record_id` `{fields}` → `data.record`; `DELETE …/records/:record_id` → `data.{deleted, record_id}`;
 * - `POST …/records/search?page_size=(1–500, default 20)&page_token=` `{view_id?, field_names?, sort?, filter?}`
 *   → `data.{items[]{fields, record_id}, has_more, page_token, total}`;
 * - `POST …/records/batch_create` / `batch_update` `{records:[{(record_id,) fields}]}` (≤ 1,000, all or nothing)
 *   → `data.records[]`; `POST …/records/batch_delete` `{records:["rec…"]}` (≤ 500) → `data.records[]{deleted, record_id}`;
 * - `GET /open-apis/drive/v1/medias/:file_token/download?extra=` (attachments; Range; an advanced-permission
 *   Base needs `extra={"bitablePerm":{"tableId":…}}` → otherwise HTTP 400). Unknown file tokens fall through
 *   to other families serving the same path.
 *
 * Codes at HTTP 200 as the record pages' error tables list them: unknown Base 1254040, table 1254041,
 * record 1254043, field name 1254045, table full 1254103, too many records in one call 1254104,
 * write conflict 1254291 (a write while another write on the table is applied, or injected:
 * `bitableFamily(state).injectConflicts(n)`); a malformed `client_token` 1254037 [400].
 * UNCONFIRMED (sandbox/UNCONFIRMED.md): the code for > 1,000 / > 500 records (1254104 chosen), for a bad
 * `page_size`/`page_token` (99992402 [400] chosen), for a missing `extra` (1061002 [400] chosen).
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { endpoint } from "../_middleware.ts";
import { openApiError } from "../_respond.ts";
import type { EndpointName } from "../endpoints.ts";
import type { SandboxState } from "../state.ts";
import { fail, guard, ok, type Op, write } from "./_request.ts";
import { media } from "./_media.ts";
import { registerBitableControlRoutes } from "./_control.ts";
import { pageToken, project, type SearchBody, select, unknownField } from "./_search.ts";
import {
  BITABLE_BATCH_CREATE_PATH,
  BITABLE_BATCH_DELETE_PATH,
  BITABLE_BATCH_UPDATE_PATH,
  BITABLE_MEDIA_DOWNLOAD_PATH,
  BITABLE_RECORD_PATH,
  BITABLE_RECORDS_PATH,
  BITABLE_SEARCH_PATH,
} from "./endpoints.ts";
import { type BitableFamily, bitableFamily, MAX_RECORDS_PER_TABLE, type SandboxTable } from "./store.ts";

/** Most records per batch create/update. */
export const BATCH_WRITE_MAX = 1000;
/** Most records per batch delete. */
export const BATCH_DELETE_MAX = 500;

/** Register the Base record endpoints and the attachment download. */
export function registerBitableRoutes(app: SandboxApp, state: SandboxState): void {
  const base = bitableFamily(state);
  registerBitableControlRoutes(app, base);
  const on = (name: EndpointName, op: Op) =>
    [endpoint(state, name), (c: SandboxContext) => write(c, state, base, op)] as const;
  app.post(BITABLE_SEARCH_PATH, endpoint(state, "bitable_record_search"), (c) => read(c, state, base));
  app.post(BITABLE_BATCH_CREATE_PATH, ...on("bitable_batch_create", batchCreate));
  app.post(BITABLE_BATCH_UPDATE_PATH, ...on("bitable_batch_update", batchUpdate));
  app.post(BITABLE_BATCH_DELETE_PATH, ...on("bitable_batch_delete", batchDelete));
  app.post(BITABLE_RECORDS_PATH, ...on("bitable_record_create", createOne));
  app.put(BITABLE_RECORD_PATH, ...on("bitable_record_update", updateOne));
  app.delete(BITABLE_RECORD_PATH, ...on("bitable_record_delete", deleteOne));
  app.get(BITABLE_MEDIA_DOWNLOAD_PATH, (c, next) => media(c, next, state, base));
}

/** The first field name of `fields` the table lacks, or a problem with `fields` itself. */
function badFields(table: SandboxTable, fields: unknown): { code: number; msg: string } | undefined {
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) {
    return { code: 1254001, msg: "WrongRequestBody" };
  }
  const missing = Object.keys(fields).find((n) => !table.fields.has(n));
  return missing === undefined ? undefined : { code: 1254045, msg: `FieldNameNotFound: ${missing}` };
}

function recordJson(id: string, fields: Record<string, unknown>) {
  return { fields, id, record_id: id };
}

const createOne: Op = ({ c, state, base, table }, body) => {
  const bad = badFields(table, body.fields);
  if (bad) return fail(c, state, bad.code, bad.msg);
  if (table.records.size >= MAX_RECORDS_PER_TABLE) return fail(c, state, 1254103, "RecordExceedLimit");
  const id = base.newRecordId();
  const fields = { ...(body.fields as Record<string, unknown>) };
  table.records.set(id, { id, fields });
  return ok(c, state, { record: recordJson(id, fields) });
};

const updateOne: Op = ({ c, state, table }, body) => {
  const record = table.records.get(c.req.param("record_id") ?? "");
  if (!record) return fail(c, state, 1254043, "RecordIdNotFound");
  const bad = badFields(table, body.fields);
  if (bad) return fail(c, state, bad.code, bad.msg);
  Object.assign(record.fields, body.fields);
  return ok(c, state, { record: recordJson(record.id, record.fields) });
};

const deleteOne: Op = ({ c, state, table }) => {
  const id = c.req.param("record_id") ?? "";
  if (!table.records.delete(id)) return fail(c, state, 1254043, "RecordIdNotFound");
  return ok(c, state, { deleted: true, record_id: id });
};

function recordsOf(body: Record<string, unknown>, max: number): unknown[] | undefined | "too_many" {
  const records = body.records;
  if (!Array.isArray(records) || records.length === 0) return undefined;
  return records.length > max ? "too_many" : records;
}

const batchCreate: Op = ({ c, state, base, table }, body) => {
  const records = recordsOf(body, BATCH_WRITE_MAX);
  if (records === "too_many") return fail(c, state, 1254104, "RecordAddOnceExceedLimit");
  if (!records) return fail(c, state, 1254001, "WrongRequestBody");
  for (const r of records as { fields?: unknown }[]) {
    const bad = badFields(table, r?.fields);
    if (bad) return fail(c, state, bad.code, bad.msg);
  }
  if (table.records.size + records.length > MAX_RECORDS_PER_TABLE) {
    return fail(c, state, 1254103, "RecordExceedLimit");
  }
  const out = (records as { fields: Record<string, unknown> }[]).map((r) => {
    const id = base.newRecordId();
    const fields = { ...r.fields };
    table.records.set(id, { id, fields });
    return recordJson(id, fields);
  });
  return ok(c, state, { records: out });
};

const batchUpdate: Op = ({ c, state, table }, body) => {
  const records = recordsOf(body, BATCH_WRITE_MAX);
  if (records === "too_many") return fail(c, state, 1254104, "RecordAddOnceExceedLimit");
  if (!records) return fail(c, state, 1254001, "WrongRequestBody");
  const rows = records as { record_id?: unknown; fields?: unknown }[];
  for (const r of rows) {
    if (!table.records.has(String(r?.record_id))) return fail(c, state, 1254043, "RecordIdNotFound");
    const bad = badFields(table, r.fields);
    if (bad) return fail(c, state, bad.code, bad.msg);
  }
  const out = rows.map((r) => {
    const record = table.records.get(String(r.record_id))!;
    Object.assign(record.fields, r.fields);
    return recordJson(record.id, record.fields);
  });
  return ok(c, state, { records: out });
};

const batchDelete: Op = ({ c, state, table }, body) => {
  const records = recordsOf(body, BATCH_DELETE_MAX);
  if (records === "too_many") return fail(c, state, 1254104, "RecordAddOnceExceedLimit");
  if (!records) return fail(c, state, 1254001, "WrongRequestBody");
  const ids = records.map(String);
  if (ids.some((id) => !table.records.has(id))) return fail(c, state, 1254043, "RecordIdNotFound");
  for (const id of ids) table.records.delete(id);
  return ok(c, state, { records: ids.map((id) => ({ deleted: true, record_id: id })) });
};

async function read(c: SandboxContext, state: SandboxState, base: BitableFamily): Promise<Response> {
  const g = await guard(c, state, base);
  if (g instanceof Response) return g;
  const sizeText = c.req.query("page_size");
  const size = sizeText === undefined ? 20 : Number(sizeText);
  const invalid = (field: string) =>
    openApiError(c, state.clock, 400, 99992402, "field validation failed", [{
      field,
      description: `${field} is invalid`,
    }]);
  if (!Number.isInteger(size) || size < 1 || size > 500) return invalid("page_size");
  const offset = pageToken.decode(c.req.query("page_token"));
  if (offset === undefined) return invalid("page_token");
  const body = g.body as SearchBody;
  const missing = unknownField(g.table, body);
  if (missing !== undefined) return fail(c, state, 1254045, `FieldNameNotFound: ${missing}`);
  const rows = select(g.table, body);
  const page = rows.slice(offset, offset + size);
  const hasMore = offset + size < rows.length;
  const data: Record<string, unknown> = {
    items: page.map((r) => ({ fields: project(r, body.field_names), record_id: r.id })),
    has_more: hasMore,
    total: rows.length,
  };
  if (hasMore) data.page_token = pageToken.encode(offset + size);
  return ok(c, state, data);
}
