/**
 * The sandbox's aPaaS workspace tables: the PostgREST subset its record
 * endpoints take (docs.postgrest.org/en/v13/references/api/tables_views.html)
 * and the refusals of bad requests — 2320001 param invalid [400] naming the
 * field, 2320004 not found, 2320009 version conflict, 2320010 row quota,
 * 99991679 a user token without the scope, and tenant tokens refused.
 */
import assert from "node:assert/strict";
import {
  applyOrder,
  applySelect,
  compileFilter,
  type Row,
  SyntaxProblem,
} from "../../sandbox/apaas/_postgrest.ts";
import { APAAS_WORKSPACE_ID } from "../../sandbox/apaas/store.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { type Answer, call, token, withSandbox } from "./_helpers.ts";

const COLS = new Set(["name", "age", "city", "vip", "note"]);
const ROWS: Row[] = [
  { name: "甲", age: 30, city: "北京", vip: true, note: null },
  { name: "乙", age: 25, city: "上海", vip: false, note: "a,b" },
  { name: "丙", age: 41, city: "北京", vip: false, note: "Hello" },
  { name: "丁", age: null, city: "深圳", vip: true, note: "hello world" },
];
const pick = (filter: string) => ROWS.filter(compileFilter(filter, COLS)).map((r) => r.name);

Deno.test("aPaaS filter syntax: operators, not., quoted values, nested and/or groups", () => {
  assert.deepEqual(pick(""), ["甲", "乙", "丙", "丁"]);
  assert.deepEqual(pick("city=eq.北京"), ["甲", "丙"]);
  assert.deepEqual(pick("city=neq.北京"), ["乙", "丁"]);
  assert.deepEqual(pick("age=gt.30"), ["丙"]);
  assert.deepEqual(pick("age=gte.30"), ["甲", "丙"]);
  assert.deepEqual(pick("age=lt.30"), ["乙"], "a null never compares");
  assert.deepEqual(pick("age=lte.30"), ["甲", "乙"]);
  assert.deepEqual(pick("age=eq.abc"), [], "a number against text compares as text");
  assert.deepEqual(pick("vip=eq.true"), ["甲", "丁"]);
  assert.deepEqual(pick("vip=is.false"), ["乙", "丙"]);
  assert.deepEqual(pick("note=is.null"), ["甲"]);
  assert.deepEqual(pick("note=not.is.null"), ["乙", "丙", "丁"]);
  assert.deepEqual(pick("note=like.hello*"), ["丁"], "like is case-sensitive");
  assert.deepEqual(pick("note=ilike.hello%"), ["丙", "丁"]);
  assert.deepEqual(pick('note=in.("a,b",Hello)'), ["乙", "丙"], "quotes keep a comma inside a value");
  assert.deepEqual(pick("name=in.(甲,丁)&vip=eq.true"), ["甲", "丁"]);
  assert.deepEqual(pick("or=(age.lt.26,city.eq.深圳)"), ["乙", "丁"]);
  assert.deepEqual(pick("and=(city.eq.北京,or(age.gt.40,vip.is.true))"), ["甲", "丙"]);
  assert.deepEqual(pick("or=(and(city.eq.北京,age.gt.40),name.eq.乙)"), ["乙", "丙"]);

  for (
    const bad of [
      "=eq.1",
      "nope=eq.1",
      "age=between.1",
      "vip=is.maybe",
      "name=in.甲",
      "or=age.lt.26",
      "or=(agelt26)",
      "and=(nope.eq.1)",
    ]
  ) {
    assert.throws(() => compileFilter(bad, COLS), SyntaxProblem, bad);
  }
});

Deno.test("aPaaS order and select: asc/desc, nulls first or last, unknown columns refused", () => {
  const order = (o: string) => {
    const rows = [...ROWS];
    applyOrder(rows, o, COLS);
    return rows.map((r) => r.name);
  };
  assert.deepEqual(order(""), ["甲", "乙", "丙", "丁"]);
  assert.deepEqual(order("age"), ["乙", "甲", "丙", "丁"], "nulls last by default");
  assert.deepEqual(order("age.desc"), ["丙", "甲", "乙", "丁"]);
  assert.deepEqual(order("age.asc.nullsfirst"), ["丁", "乙", "甲", "丙"]);
  // Booleans compare as text ("true" > "false"); ties by age, the null age last.
  assert.deepEqual(order("vip.desc,age"), ["甲", "丁", "乙", "丙"]);
  assert.deepEqual(order("note.nullsfirst,name"), ["甲", "乙", "丙", "丁"]);
  assert.deepEqual(order("note.desc.nullslast"), ["丁", "丙", "乙", "甲"]);
  assert.throws(() => order("nope"), SyntaxProblem);
  assert.throws(() => order("age.sideways"), SyntaxProblem);

  assert.deepEqual(applySelect(ROWS[0], "name, note", COLS), { name: "甲", note: null });
  assert.equal(applySelect(ROWS[0], "*", COLS), ROWS[0]);
  assert.throws(() => applySelect(ROWS[0], "name,nope", COLS), SyntaxProblem);
});

const WS = `/open-apis/apaas/v1/workspaces/${APAAS_WORKSPACE_ID}`;
const ALL = [
  "app_engine:workspace.table:read",
  "app_engine:workspace.table.record:read",
  "app_engine:workspace.table.record:write",
];

type Send = (method: string, path: string, body?: unknown, scopes?: string[]) => Promise<Answer>;

/** `send` prefixes the seeded workspace to a relative path; `raw` takes the whole path and a bearer. */
async function withWorkspace(
  fn: (send: Send, raw: (path: string, bearer: string) => Promise<Answer>, tenant: string) => Promise<void>,
) {
  await withSandbox({ defaultRateLimits: false }, async ({ sandbox, url }) => {
    const fam = meetingFamily(sandbox);
    const appId = sandbox.state.options.apps[0].appId;
    const bearer = (scopes: string[]) =>
      fam.userTokens.issue(appId, fam.directory.users[0].openId, scopes, sandbox.state.clock.now()).access
        .value;
    await fn(
      (method, path, body, scopes = ALL) =>
        call(url + (path.startsWith("/open-apis/") ? path : WS + path), {
          method,
          headers: { authorization: `Bearer ${bearer(scopes)}`, "content-type": "application/json" },
          body: typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body),
        }),
      (path, b) => call(url + path, { headers: { authorization: `Bearer ${b}` } }),
      await token(url),
    );
  });
}

function refused(a: Answer, code: number, field?: string) {
  assert.equal(a.body.code, code, a.text);
  if (field) assert.equal(a.body.error.field_violations[0].field, field, a.text);
}

Deno.test("aPaaS tables sandbox: paging, unknown workspace/table, scopes, bad queries, tenant tokens refused", async () => {
  await withWorkspace(async (send, raw, tenant) => {
    const page = await send("GET", "/tables?page_size=1");
    assert.equal(page.body.data.items.length, 1);
    assert.equal(page.body.data.has_more, true);
    const next = await send("GET", `/tables?page_size=1&page_token=${page.body.data.page_token}`);
    assert.equal(next.body.data.has_more, false);
    assert.equal(next.body.data.page_token, "");
    assert.notEqual(next.body.data.items[0].name, page.body.data.items[0].name);
    refused(await send("GET", "/tables?page_size=101"), 2320001, "page_size");
    refused(await send("GET", "/tables?page_token=zz"), 2320001, "page_token");
    refused(await send("GET", "/tables/customers/records?page_size=501"), 2320001, "page_size");
    refused(await send("GET", "/tables/nope"), 2320004);
    const user = (await send("GET", "/tables")).status;
    assert.equal(user, 200);
    refused(await send("GET", "/open-apis/apaas/v1/workspaces/workspace_nope/tables"), 2320004);
    // User token only: a tenant token is refused as on every user-only API.
    refused(await raw(`${WS}/tables`, tenant), 99991663);
    refused(
      await send("GET", "/tables/customers/records", undefined, ["app_engine:workspace.table:read"]),
      99991679,
    );
    refused(await send("POST", "/tables/orders/records", { records: "[]" }, ALL.slice(0, 2)), 99991679);
    // Write implies read.
    const read = await send("GET", "/tables/customers/records?page_size=1", undefined, [ALL[2]]);
    assert.equal(read.body.code, 0, read.text);
    refused(await send("GET", "/tables/customers/records?filter=nope%3Deq.1"), 2320001);
    refused(await send("GET", "/tables/customers/records?order=nope"), 2320001);
    refused(await send("GET", "/tables/customers/records?select=nope"), 2320001);
  });
});

Deno.test("aPaaS tables sandbox: write bodies are JSON strings of objects; quota, filter, _id and version checks", async () => {
  await withWorkspace(async (send) => {
    const post = (body: unknown) => send("POST", "/tables/orders/records", body);
    refused(await post("not json"), 2320001, "body");
    refused(await post("null"), 2320001, "body");
    refused(await post({ records: [] }), 2320001, "records");
    refused(await post({ records: "[oops" }), 2320001, "records");
    refused(await post({ records: "{}" }), 2320001, "records");
    refused(await post({ records: JSON.stringify(Array(501).fill({})) }), 2320001, "records");
    refused(await post({ records: "[1]" }), 2320001, "records");
    refused(await post({ records: JSON.stringify([{ colour: "red" }]) }), 2320001, "records");
    // orders holds at most 20 rows.
    refused(await post({ records: JSON.stringify(Array(21).fill({ status: "new" })) }), 2320010);
    const made = await post({
      records: JSON.stringify([{ status: "new", amount: 5 }, { status: "new", amount: 7 }]),
    });
    assert.equal(made.body.code, 0, made.text);
    const [a, b] = made.body.data.record_ids as string[];

    refused(await send("PATCH", "/tables/orders/records", { record: "{}" }), 2320001, "filter");
    refused(
      await send("PATCH", "/tables/orders/records?filter=amount%3Deq.5", { record: "[]" }),
      2320001,
      "record",
    );
    refused(
      await send("PATCH", "/tables/orders/records?filter=amount%3Deq.5", { record: '{"colour":1}' }),
      2320001,
      "record",
    );
    const patched = await send("PATCH", "/tables/orders/records?filter=amount%3Deq.5", {
      record: '{"status":"paid"}',
    });
    assert.deepEqual(patched.body.data.record_ids, [a]);

    const batch = (rows: unknown[]) =>
      send("PATCH", "/tables/orders/records_batch_update", { records: JSON.stringify(rows) });
    refused(await batch([{ status: "x" }]), 2320001, "records");
    refused(await batch([{ _id: a, status: "x" }, { _id: a, status: "y" }]), 2320001, "records");
    refused(await batch([{ _id: a, status: "x" }, { _id: b, amount: 1 }]), 2320001, "records");
    refused(await batch([{ _id: "00000000-0000-4000-8000-000000000000", status: "x" }]), 2320004);
    // a was patched once (version 2): an update based on version 1 is a conflict, and nothing is written.
    refused(await batch([{ _id: b, status: "done" }, { _id: a, _version: 1, status: "done" }]), 2320009);
    const rows = JSON.parse((await send("GET", "/tables/orders/records?order=amount")).body.data.items);
    assert.deepEqual(rows.map((r: Row) => [r.status, r._version]), [["paid", 2], ["new", 1]]);
    const ok = await batch([{ _id: a, _version: 2, status: "done" }, {
      _id: b,
      _version: 1,
      status: "done",
    }]);
    assert.equal(ok.body.code, 0, ok.text);

    refused(await send("DELETE", "/tables/orders/records"), 2320001, "filter");
    const gone = await send("DELETE", "/tables/orders/records?filter=status%3Deq.done");
    assert.deepEqual([...gone.body.data.record_ids].sort(), [a, b].sort());
  });
});

Deno.test("aPaaS functions and flows sandbox: unknown namespace/function/flow/execution, bad bodies, duplicate idempotent key", async () => {
  await withSandbox({ defaultRateLimits: false }, async ({ url }) => {
    const bearer = await token(url);
    const APP = "/open-apis/apaas/v1/applications/package_sandbox__c";
    const post = (path: string, body: unknown) =>
      call(url + path, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    refused(await post("/open-apis/apaas/v1/applications/nope__c/functions/summarize/invoke", {}), 2320004);
    refused(await post(`${APP}/functions/summarize/invoke`, "[]"), 2320001, "body");
    refused(
      await post(`${APP}/functions/summarize/invoke`, { params: { text: "not a string" } }),
      2320001,
      "params",
    );
    refused(await post(`${APP}/functions/summarize/invoke`, { params: "[1]" }), 2320001, "params");
    refused(await post(`${APP}/functions/translate/invoke`, {}), 2320004);
    const summary = await post(`${APP}/functions/summarize/invoke`, {
      params: JSON.stringify({ text: "一二三" }),
    });
    assert.deepEqual(JSON.parse(summary.body.data.result), { summary: "一二三", length: 3 });
    const label = await post(`${APP}/functions/classify/invoke`, {
      params: JSON.stringify({ text: "我要退款" }),
    });
    assert.deepEqual(JSON.parse(label.body.data.result), { label: "售后" });

    const operator = JSON.stringify({ email: "zhangsan@example.com" });
    refused(await post(`${APP}/flows/notifyOwner/execute`, "{"), 2320001, "body");
    refused(await post(`${APP}/flows/notifyOwner/execute`, { operator: "{}" }), 2320001, "operator");
    refused(await post(`${APP}/flows/notifyOwner/execute`, { operator, params: "x" }), 2320001, "params");
    refused(await post(`${APP}/flows/nope/execute`, { operator }), 2320004);
    const first = await post(`${APP}/flows/notifyOwner/execute`, { operator, idempotent_key: "k1" });
    assert.equal(first.body.code, 0, first.text);
    refused(
      await post(`${APP}/flows/notifyOwner/execute`, { operator, idempotent_key: "k1" }),
      2320002,
      "idempotent_key",
    );
    const get = (id: string) =>
      call(`${url}${APP}/flows/executions/${id}`, { headers: { authorization: `Bearer ${bearer}` } });
    refused(await get("nope"), 2320004);
    const exec = await get(first.body.data.execution_id);
    assert.equal(exec.body.data.execution_id, first.body.data.execution_id);
  });
});
