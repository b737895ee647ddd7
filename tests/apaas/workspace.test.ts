/** ApaasWorkspace against the sandbox: tables, schema, queries, writes, typed errors, user token only. */
import assert from "node:assert/strict";
import {
  ApaasQuotaError,
  type ApaasRecord,
  ApaasScopeError,
  ApaasVersionConflictError,
  apaasWhere,
  ApaasWorkspace,
} from "../../lib/apaas/mod.ts";
import { NotFoundError, ParamError, RateLimitError } from "../../lib/errors/mod.ts";
import { APAAS_WORKSPACE_ID } from "../../sandbox/apaas/store.ts";
import { withApaas } from "./_env.ts";

Deno.test("ApaasWorkspace: tables and schema", async () => {
  await withApaas(async ({ http, user }) => {
    const ws = new ApaasWorkspace(http(), { workspaceId: APAAS_WORKSPACE_ID, auth: user() });
    const names = [];
    for await (const t of ws.tables()) names.push(t.name);
    assert.deepEqual(names, ["customers", "orders"]);
    const s = await ws.schema("customers");
    assert.deepEqual(s.columns.map((c) => c.name), ["_id", "_version", "name", "age", "city", "vip", "note"]);
    assert.equal(s.columns[0].primaryKey, true);
    assert.equal(s.columns[3].dataType, "integer");
    await assert.rejects(() => ws.schema("nope"), NotFoundError);
  });
});

Deno.test("ApaasWorkspace: query with filter, order, select, paged transparently", async () => {
  await withApaas(async ({ http, user, calls }) => {
    const ws = new ApaasWorkspace(http(), { workspaceId: APAAS_WORKSPACE_ID, auth: user() });
    const q = {
      filter: apaasWhere.and(apaasWhere.gte("age", 60), apaasWhere.eq("city", "北京")),
      order: [{ column: "age", desc: true }, { column: "name" }],
      select: ["name", "age"],
      pageSize: 7,
    };
    const rows: ApaasRecord[] = [];
    for await (const r of ws.query("customers", q)) rows.push(r);
    const first = await ws.queryPage("customers", q);
    assert.equal(first.total, rows.length);
    assert.ok(rows.length > 7, "spans several pages");
    assert.equal(calls("apaas_records_get"), Math.ceil(rows.length / 7) + 1);
    assert.ok(rows.every((r) => Number(r.age) >= 60 && Object.keys(r).join() === "name,age"));
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      assert.ok(Number(a.age) > Number(b.age) || (a.age === b.age && String(a.name) <= String(b.name)));
    }
    const nulls = await ws.queryPage("customers", { filter: apaasWhere.isNull("note"), pageSize: 500 });
    assert.equal(nulls.total, 125);
  });
});

Deno.test("ApaasWorkspace: insert, partial update, batch update, delete", async () => {
  await withApaas(async ({ http, user }) => {
    const ws = new ApaasWorkspace(http(), { workspaceId: APAAS_WORKSPACE_ID, auth: user() });
    const ids = await ws.insert("orders", [{ amount: 10, status: "new" }, { amount: 20, status: "new" }]);
    assert.equal(ids.length, 2);
    const updated = await ws.update("orders", apaasWhere.eq("amount", 10), { status: "paid" });
    assert.deepEqual(updated, [ids[0]]);
    const [row] = await ws.queryPage("orders", { filter: apaasWhere.eq("_id", ids[0]) }).then((p) =>
      p.records
    );
    assert.equal(row.status, "paid");
    assert.equal(row.amount, 10, "partial update keeps other columns");
    assert.equal(row._version, 2);
    const chunks = await ws.batchUpdate("orders", [
      { _id: ids[0], _version: 2, status: "shipped" },
      { _id: ids[1], _version: 1, status: "shipped" },
    ]);
    assert.deepEqual(chunks, [ids]);
    assert.deepEqual(await ws.delete("orders", apaasWhere.eq("status", "shipped")), ids);
    assert.equal((await ws.queryPage("orders")).total, 0);
  });
});

Deno.test("ApaasWorkspace: inserts and batch updates are chunked by 500", async () => {
  await withApaas(async ({ http, user, calls }) => {
    const ws = new ApaasWorkspace(http(), { workspaceId: APAAS_WORKSPACE_ID, auth: user() });
    const added = await ws.insert(
      "customers",
      Array.from({ length: 700 }, (_, i) => ({ name: `新客户${i}`, age: 30 })),
    );
    assert.equal(added.length, 700);
    assert.equal(calls("apaas_records_post"), 2);
    const ids: string[] = [];
    for await (const r of ws.query("customers", { select: ["_id"], pageSize: 500 })) ids.push(String(r._id));
    assert.equal(ids.length, 1200);
    const chunks = await ws.batchUpdate("customers", ids.map((_id, i) => ({ _id, note: `n${i}` })));
    assert.deepEqual(chunks.map((c) => c.length), [500, 500, 200]);
    assert.equal(calls("apaas_records_batch_update"), 3);
    const last = await ws.queryPage("customers", { filter: apaasWhere.eq("_id", ids[1199]) });
    assert.equal(last.records[0].note, "n1199");
    await assert.rejects(
      () => ws.batchUpdate("customers", [{ _id: ids[0], note: "x" }, { _id: ids[1], age: 3 }]),
      (e) => e instanceof ParamError && e.field === "records[1]",
    );
  });
});

Deno.test("ApaasWorkspace: version conflict and quota are typed errors with advice", async () => {
  await withApaas(async ({ http, user }) => {
    const ws = new ApaasWorkspace(http(), { workspaceId: APAAS_WORKSPACE_ID, auth: user() });
    const [r] = (await ws.queryPage("customers", { pageSize: 1 })).records;
    await ws.batchUpdate("customers", [{ _id: r._id, _version: 1, city: "广州" }]);
    await assert.rejects(
      () => ws.batchUpdate("customers", [{ _id: r._id, _version: 1, city: "厦门" }]),
      (e) => e instanceof ApaasVersionConflictError && e.hint.includes("重新读取"),
    );
    const many = Array.from({ length: 21 }, (_, i) => ({ amount: i }));
    await assert.rejects(
      () => ws.insert("orders", many),
      (e) => e instanceof ApaasQuotaError && e.hint.includes("配额"),
    );
  });
});

Deno.test("ApaasWorkspace: user token only, a missing scope is named, bad input never leaves the process", async () => {
  await withApaas(async ({ http, user, tenant, calls }) => {
    assert.throws(
      () => new ApaasWorkspace(http(), { workspaceId: APAAS_WORKSPACE_ID, auth: tenant }),
      (e) => e instanceof ParamError && e.field === "auth",
    );
    const readOnly = new ApaasWorkspace(http(), {
      workspaceId: APAAS_WORKSPACE_ID,
      auth: user(["app_engine:workspace.table.record:read"]),
    });
    await readOnly.queryPage("customers");
    await assert.rejects(
      () => readOnly.update("customers", apaasWhere.eq("age", 1), { city: "x" }),
      (e) =>
        e instanceof ApaasScopeError && e.scopes.includes("app_engine:workspace.table.record:write") &&
        e.hint.includes("app_engine:workspace.table.record:write"),
    );
    const before = calls("apaas_records_get") + calls("apaas_records_patch");
    const ws = new ApaasWorkspace(http(), { workspaceId: APAAS_WORKSPACE_ID, auth: user() });
    await assert.rejects(
      () => ws.queryPage("customers", { pageSize: 501 }),
      (e) => e instanceof ParamError && e.field === "pageSize",
    );
    await assert.rejects(
      () => ws.queryPage("bad-name"),
      (e) => e instanceof ParamError && e.field === "table",
    );
    await assert.rejects(
      () => ws.queryPage("customers", { select: ["a b"] }),
      (e) => e instanceof ParamError && e.field === "select[0]",
    );
    await assert.rejects(
      () => ws.update("customers", apaasWhere.eq("age", 1), {}),
      (e) => e instanceof ParamError && e.field === "changes",
    );
    assert.throws(() => new ApaasWorkspace(http(), { workspaceId: "", auth: user() }), ParamError);
    assert.equal(calls("apaas_records_get") + calls("apaas_records_patch"), before);
  });
});

Deno.test("ApaasWorkspace: the documented 10/s limit: calls past the budget get RateLimitError", async () => {
  await withApaas(async ({ http, user, calls }) => {
    const ws = new ApaasWorkspace(http({ retry: { baseMs: 1, capMs: 5, retries: 0 } }), {
      workspaceId: APAAS_WORKSPACE_ID,
      auth: user(),
    });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => ws.queryPage("customers")));
    const throttled = results.filter((r) => r.status === "rejected" && r.reason instanceof RateLimitError);
    assert.equal(throttled.length, 2);
    assert.equal(calls("apaas_records_get"), 12);
  });
});
