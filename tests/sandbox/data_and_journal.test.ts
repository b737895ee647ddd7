import assert from "node:assert/strict";
import { createSandbox, generateContracts } from "../../sandbox/mod.ts";
import { call, fetchToken, withSandbox } from "./_helpers.ts";

Deno.test("data: same seed → same contracts; different seed → different", () => {
  const a = createSandbox({ seed: 42 }).state.contracts;
  const b = createSandbox({ seed: 42 }).state.contracts;
  assert.deepEqual(a, b);
  assert.notDeepEqual(createSandbox({ seed: 43 }).state.contracts, a);
  assert.deepEqual(createSandbox({ seed: 42 }).examples(), createSandbox({ seed: 42 }).examples());
});

Deno.test("data: shapes, uniqueness and category proportions", () => {
  const contracts = generateContracts(42, 1000);
  assert.equal(contracts.length, 1000);
  assert.equal(new Set(contracts.map((c) => c.contractNumber)).size, 1000);
  assert.equal(new Set(contracts.map((c) => c.contractId)).size, 1000);
  for (const c of contracts) {
    assert.match(c.contractNumber, /^HT-20\d{2}-\d{6}$/);
    assert.match(c.contractId, /^73\d{17}$/);
    if (c.cooperationId !== null) assert.match(c.cooperationId, /^73\d{17}$/);
    if (c.openChatId !== null) assert.match(c.openChatId, /^oc_[0-9a-f]{32}$/);
    assert.equal(c.category === "no_cooperation", c.cooperationId === null);
    assert.equal(c.category === "ok", c.openChatId !== null);
  }
  const share = (cat: string) => contracts.filter((c) => c.category === cat).length / contracts.length;
  assert.ok(share("no_cooperation") > 0.06 && share("no_cooperation") < 0.14, `${share("no_cooperation")}`);
  assert.ok(share("no_chat") > 0.05 && share("no_chat") < 0.13, `${share("no_chat")}`);
});

Deno.test("data: examples cover every category even for tiny data sets; notFound really absent", () => {
  const sandbox = createSandbox({ contractCount: 3 });
  const ex = sandbox.examples();
  assert.equal(ex.ok.length, 1);
  assert.equal(ex.noCooperation.length, 1);
  assert.equal(ex.noChat.length, 1);
  assert.equal(ex.notFound.length, 3);
  for (const n of ex.notFound) assert.equal(sandbox.state.contractIndex.byNumber(n), undefined);
  assert.deepEqual(createSandbox({ contractCount: 0 }).examples().ok, []);
});

Deno.test("journal: counts per endpoint, skips control calls, records unknown paths, clears", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    await fetchToken(url);
    assert.equal(sandbox.journal.count("tenant_token"), 1, "exactly one token fetch");
    await call(url + "/__sandbox/journal");
    await call(url + "/nowhere");
    assert.equal(sandbox.journal.count(), 2);
    assert.deepEqual(sandbox.journal.counts(), { tenant_token: 1, unknown: 1 });
    const [entry] = sandbox.journal.entries;
    assert.equal(entry.method, "POST");
    assert.equal(entry.path, "/open-apis/auth/v3/tenant_access_token/internal");
    assert.equal(entry.status, 200);
    assert.equal(entry.code, 0);
    assert.equal(typeof entry.ts, "number");
    sandbox.journal.clear();
    assert.equal(sandbox.journal.count(), 0);
  });
});

Deno.test("journal: bounded by journalLimit", async () => {
  const sandbox = createSandbox({ journalLimit: 2 });
  for (let i = 0; i < 3; i++) await (await sandbox.app.request(`/x${i}`)).text();
  assert.deepEqual(sandbox.journal.entries.map((e) => e.path), ["/x1", "/x2"]);
});

Deno.test("listen: refuses non-loopback hosts", async () => {
  const sandbox = createSandbox();
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => sandbox.listen({ hostname: "0.0.0.0" as any }), RangeError);
});
