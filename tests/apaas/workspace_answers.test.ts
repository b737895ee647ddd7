/**
 * ApaasWorkspace on sparse or malformed answers (a scripted server, not the
 * sandbox): missing optional fields get their documented defaults, an `items`
 * that is not a JSON array is a LarkError with a Chinese hint, and writes
 * without an `apaasWhere` filter are refused before any request.
 */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { apaasWhere, ApaasWorkspace } from "../../lib/apaas/mod.ts";
import { LarkError, ParamError } from "../../lib/errors/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";

/** A workspace client whose requests are answered by `answer` (path → `data`). */
function scripted(answer: (path: string, method: string) => unknown) {
  const seen: string[] = [];
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:9",
    auth: staticAuth("user:test", { Authorization: "Bearer u-x" }),
    retry: { retries: 0 },
    fetch: ((input: Request | URL | string, init?: RequestInit) => {
      const req = new Request(input, init);
      const path = new URL(req.url).pathname;
      seen.push(`${req.method} ${path}`);
      return Promise.resolve(Response.json({ code: 0, msg: "success", data: answer(path, req.method) }));
    }) as typeof fetch,
  });
  const ws = new ApaasWorkspace(http, { workspaceId: "ws_1", auth: staticAuth("user:test", {}) });
  return { ws, seen };
}

Deno.test("ApaasWorkspace: sparse answers get defaults (names, columns, totals, ids)", async () => {
  const { ws } = scripted((path, method) => {
    if (path.endsWith("/tables")) return { items: [{ name: "t1" }, {}], has_more: true };
    if (path.endsWith("/tables/customers")) return { columns: [{ name: "_id" }, {}] };
    if (path.endsWith("/records") && method === "GET") return { items: '[{"_id":"a"}]' };
    return undefined; // writes answer no data at all
  });
  const tables = [];
  for await (const t of ws.tables()) tables.push(t);
  // has_more without a page_token ends the listing (no endless loop).
  assert.deepEqual(tables, [{ name: "t1", description: undefined }, { name: "", description: undefined }]);
  const schema = await ws.schema("customers");
  assert.equal(schema.name, "customers", "the asked name when the answer has none");
  assert.deepEqual(schema.columns.map((c) => [c.name, c.dataType]), [["_id", ""], ["", ""]]);
  const page = await ws.queryPage("customers");
  assert.deepEqual(page, { records: [{ _id: "a" }], total: 1, pageToken: undefined });
  assert.deepEqual(await ws.insert("customers", [{ name: "x" }]), []);
  assert.deepEqual(await ws.update("customers", apaasWhere.eq("name", "x"), { name: "y" }), []);
  assert.deepEqual(await ws.delete("customers", apaasWhere.eq("name", "y")), []);
});

Deno.test("ApaasWorkspace: items that are not a JSON array are a LarkError with a Chinese hint", async () => {
  const { ws } = scripted(() => ({ items: '{"_id":"a"}', total: 1 }));
  await assert.rejects(
    ws.queryPage("customers"),
    (e) => e instanceof LarkError && /格式异常/.test(e.hint ?? ""),
  );
  const empty = scripted(() => ({ items: "" }));
  assert.deepEqual((await empty.ws.queryPage("customers")).records, []);
});

Deno.test("ApaasWorkspace: a query, update or delete without an apaasWhere filter is refused before any request", async () => {
  const { ws, seen } = scripted(() => ({}));
  const raw = "name=eq.x" as unknown as ReturnType<typeof apaasWhere.eq>;
  await assert.rejects(
    ws.queryPage("customers", { filter: raw }),
    (e) => e instanceof ParamError && e.field === "filter",
  );
  await assert.rejects(
    ws.update("customers", raw, { name: "y" }),
    (e) => e instanceof ParamError && e.field === "filter",
  );
  await assert.rejects(ws.delete("customers", raw), (e) => e instanceof ParamError && e.field === "filter");
  assert.deepEqual(seen, []);
});
