import assert from "node:assert/strict";
import { call, postJson, SEARCH, search, token, withSandbox } from "./_helpers.ts";

Deno.test("contract search: exact match by number", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const bearer = await token(url);
    const number = sandbox.examples().ok[0];
    const expected = sandbox.state.contractIndex.byNumber(number)!;
    const a = await search(url, bearer, number);
    assert.equal(a.status, 200);
    assert.equal(a.body.code, 0);
    assert.equal(a.body.msg, "success");
    assert.equal(a.body.data.has_more, false);
    assert.equal(a.body.data.page_token, "");
    assert.equal(a.body.data.items.length, 1);
    const item = a.body.data.items[0];
    assert.equal(item.contract_id, expected.contractId);
    assert.equal(item.contract_number, number);
    assert.equal(item.contract_name, expected.contractName);
    assert.equal(typeof item.contract_status_code, "number");
    assert.ok(a.headers.get("x-tt-logid"));
    assert.equal(sandbox.journal.last("contract_search")?.appId, "cli_a1b2c3d4e5f60718");
  });
});

Deno.test("contract search: unknown number → HTTP 400 + 110107", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const a = await search(url, await token(url), sandbox.examples().notFound[0]);
    assert.equal(a.status, 400);
    assert.equal(a.body.code, 110107);
    assert.equal(typeof a.body.msg, "string");
    assert.ok(a.body.error.log_id);
    assert.equal(sandbox.journal.last("contract_search")?.code, 110107);
  });
});

Deno.test("contract search: gateway auth errors come before parameter checks", async () => {
  await withSandbox({}, async ({ url }) => {
    const body = { contract_number: "HT-2024-000001" };
    const none = await postJson(url + SEARCH, body);
    assert.equal(none.status, 400);
    assert.equal(none.body.code, 99991661);
    assert.ok(none.body.error.troubleshooter);

    const noBearer = await postJson(url + SEARCH, body, { authorization: "t-abc" });
    assert.equal(noBearer.body.code, 99991661);

    const fake = await postJson(url + SEARCH, body, { authorization: "Bearer t-fakefakefakefake" });
    assert.equal(fake.status, 400);
    assert.equal(fake.body.code, 99991663);

    const userToken = await postJson(url + SEARCH, body, {
      authorization: "Bearer eyJhbGciOiJFUzI1NiJ9.x.y",
    });
    assert.equal(userToken.body.code, 99991668);

    // Missing user_id_type with a bad token is still an auth error.
    const both = await postJson(url + "/open-apis/contract/v1/contracts/search", body);
    assert.equal(both.body.code, 99991661);
  });
});

Deno.test("contract search: parameter validation → 99992402 with field_violations", async () => {
  await withSandbox({}, async ({ url }) => {
    const auth = { authorization: `Bearer ${await token(url)}` };
    const noType = await postJson(url + "/open-apis/contract/v1/contracts/search", {}, auth);
    assert.equal(noType.status, 400);
    assert.equal(noType.body.code, 99992402);
    assert.equal(noType.body.error.field_violations[0].field, "user_id_type");

    const badType = await postJson(url + "/open-apis/contract/v1/contracts/search?user_id_type=x", {}, auth);
    assert.equal(badType.body.code, 99992402);

    const badBody = await call(url + SEARCH, { method: "POST", headers: auth, body: "{oops" });
    assert.equal(badBody.body.code, 99992402);
  });
});

Deno.test("contract search: listing pages through every contract", async () => {
  await withSandbox({ contractCount: 25 }, async ({ url, sandbox }) => {
    const auth = { authorization: `Bearer ${await token(url)}` };
    const seen: string[] = [];
    let pageToken = "";
    for (let i = 0; i < 10; i++) {
      const a = await postJson(url + SEARCH, { page_size: 10, page_token: pageToken }, auth);
      assert.equal(a.body.code, 0);
      seen.push(...a.body.data.items.map((x: { contract_number: string }) => x.contract_number));
      if (!a.body.data.has_more) break;
      pageToken = a.body.data.page_token;
    }
    assert.deepEqual(seen, sandbox.state.contracts.map((c) => c.contractNumber));
  });
});

Deno.test("unknown path or wrong method → plain-text 404 like Feishu's gateway", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const wrongMethod = await call(url + SEARCH);
    assert.equal(wrongMethod.status, 404);
    assert.equal(wrongMethod.text, "404 page not found");
    assert.match(wrongMethod.headers.get("content-type") ?? "", /text\/plain/);
    const nowhere = await call(url + "/open-apis/nonexistent/v1/foo");
    assert.equal(nowhere.status, 404);
    assert.equal(sandbox.journal.count("unknown"), 2);
  });
});
