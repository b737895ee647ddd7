import assert from "node:assert/strict";
import { clmGet, CONTRACT_AND_TASK, COOPERATION_INFO, search, token, withSandbox } from "./_helpers.ts";

Deno.test("CLM: full chain number → contractId → cooperationId → openChatId", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const number = sandbox.examples().ok[0];
    const contractId = (await search(url, await token(url), number)).body.data.items[0].contract_id;

    const cat = await clmGet(url, `${CONTRACT_AND_TASK}?contractId=${contractId}&withDocVersion=true`);
    assert.equal(cat.status, 200);
    assert.equal(cat.body.code, 0);
    assert.equal(cat.body.message, "success");
    const info = cat.body.data.contract.contractInfo;
    assert.equal(info.contractId, contractId);
    assert.equal(info.contractNumber, number);
    assert.match(info.cooperationId, /^\d{19}$/);

    const coop = await clmGet(url, `${COOPERATION_INFO}?cooperationId=${info.cooperationId}`);
    assert.equal(coop.body.code, 0);
    assert.equal(coop.body.data.cooperationId, info.cooperationId);
    assert.match(coop.body.data.openChatId, /^oc_[0-9a-f]{32}$/);
    assert.equal(coop.body.data.openChatId, sandbox.state.contractIndex.byNumber(number)!.openChatId);
    assert.equal(sandbox.journal.count("contract_and_task"), 1);
    assert.equal(sandbox.journal.count("cooperation_info"), 1);
  });
});

Deno.test("CLM: contracts without cooperation / without chat (omitted or null)", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const ex = sandbox.examples(4);
    const renders = new Set<string>();
    for (const number of ex.noCooperation) {
      const c = sandbox.state.contractIndex.byNumber(number)!;
      const a = await clmGet(url, `${CONTRACT_AND_TASK}?contractId=${c.contractId}&withDocVersion=true`);
      assert.equal(a.body.code, 0);
      const info = a.body.data.contract.contractInfo;
      assert.ok(info.cooperationId === undefined || info.cooperationId === null);
      renders.add("cooperationId" in info ? "null" : "omitted");
    }
    for (const number of ex.noChat) {
      const c = sandbox.state.contractIndex.byNumber(number)!;
      const cat = await clmGet(url, `${CONTRACT_AND_TASK}?contractId=${c.contractId}&withDocVersion=true`);
      const cooperationId = cat.body.data.contract.contractInfo.cooperationId;
      assert.ok(cooperationId);
      const coop = await clmGet(url, `${COOPERATION_INFO}?cooperationId=${cooperationId}`);
      assert.equal(coop.body.code, 0);
      assert.ok(coop.body.data.openChatId === undefined || coop.body.data.openChatId === null);
    }
    assert.equal(renders.size, 2, "both renderings of an absent id occur");
  });
});

Deno.test("CLM: unknown ids and missing parameters answer HTTP 200 with a business code", async () => {
  await withSandbox({}, async ({ url }) => {
    const a = await clmGet(url, `${CONTRACT_AND_TASK}?contractId=1&withDocVersion=true`);
    assert.equal(a.status, 200);
    assert.equal(a.body.code, 404);
    const b = await clmGet(url, `${COOPERATION_INFO}?cooperationId=1`);
    assert.equal(b.body.code, 404);
    const c = await clmGet(url, CONTRACT_AND_TASK);
    assert.equal(c.body.code, 400);
  });
});

Deno.test("CLM: session cookie required; logged-out answer styles", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const id = sandbox.state.contracts[0].contractId;
    const path = `${CONTRACT_AND_TASK}?contractId=${id}&withDocVersion=true`;

    const none = await clmGet(url, path, null);
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 10001);
    assert.equal(none.body.message, "未登录或登录已过期");
    assert.equal((await clmGet(url, path, "stale")).status, 401);
    assert.equal((await clmGet(url, path)).status, 200);

    sandbox.faults.expireSessions();
    assert.equal((await clmGet(url, path)).status, 401);

    sandbox.faults.setLoggedOutStyle("redirect_302");
    const redirect = await clmGet(url, path);
    assert.equal(redirect.status, 302);
    const location = new URL(redirect.headers.get("location")!);
    assert.equal(location.pathname, "/accounts/page/login");
    assert.match(location.searchParams.get("redirect_uri")!, /contractAndTask/);
    const page = await clmGet(url, location.pathname + location.search, null);
    assert.equal(page.status, 200);
    assert.match(page.text, /请登录/);

    sandbox.faults.setLoggedOutStyle("html_200");
    const html = await clmGet(url, path);
    assert.equal(html.status, 200);
    assert.match(html.headers.get("content-type") ?? "", /text\/html/);
    assert.equal(html.body, undefined);

    sandbox.faults.setLoggedOutStyle("json_200");
    const json200 = await clmGet(url, path);
    assert.equal(json200.status, 200);
    assert.equal(json200.body.code, 5);

    sandbox.faults.restoreSessions();
    assert.equal((await clmGet(url, path)).body.code, 0);
  });
});
