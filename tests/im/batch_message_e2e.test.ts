/** Feishu's v4 batch send against the sandbox: targets, departments, invalid ids, documented 10003. */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { CardBuilder, ImFieldError, sendBatchMessage } from "../../lib/im/mod.ts";
import { token } from "../sandbox/_helpers.ts";
import { codeOf, withIm } from "./_im_env.ts";

Deno.test("sendBatchMessage: users and a department (with sub-departments) get one bm- message; invalid ids come back", async () => {
  await withIm(async ({ family, url, im, sandbox }) => {
    const http = new LarkHttp({
      baseUrl: url,
      auth: staticAuth("t", { Authorization: `Bearer ${await token(url)}` }),
    });
    const [a, b] = family.directory.users;
    const dep = family.directory.departments.find((d) => d.parentId === "0")!;
    const inDep = new Set(
      [dep, ...family.directory.children(dep.departmentId, true)].flatMap((d) =>
        family.directory.members(d.departmentId)
      ).map((u) => u.openId),
    );
    const missing = "ou_" + "0".repeat(32);
    const r = await sendBatchMessage(
      http,
      { openIds: [a.openId, b.openId, missing], departmentIds: [dep.openDepartmentId, "od-nope"] },
      "text",
      {
        text: "全员通知",
      },
    );
    assert.match(r.messageId, /^bm-/);
    assert.deepEqual(r.invalid, {
      openIds: [missing],
      userIds: [],
      unionIds: [],
      departmentIds: ["od-nope"],
    });
    const got = new Set(family.sentMessages.map((m) => m.user!.openId));
    assert.deepEqual(
      got,
      new Set([a.openId, b.openId, ...inDep]),
      "each target once, sub-departments included",
    );
    assert.ok(family.sentMessages.every((m) => m.messageId === r.messageId));

    const card = await sendBatchMessage(
      http,
      { openIds: [a.openId] },
      "interactive",
      new CardBuilder().markdown("卡片").build(),
    );
    assert.equal(
      (family.sentMessages.at(-1)!.parsed as { schema: string }).schema,
      "2.0",
      "the card went in `card`",
    );
    assert.equal(await codeOf(im.recall(card.messageId.replace("bm-", "om_"))), 230001);
    const recallBatch = await fetch(`${url}/open-apis/im/v1/messages/${card.messageId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${await token(url)}` },
    });
    assert.equal((await recallBatch.json()).code, 230001, "batch messages are not recalled one by one");

    const before = sandbox.journal.count("im_batch_send");
    await assert.rejects(
      sendBatchMessage(http, { openIds: Array.from({ length: 201 }, (_, i) => `ou_${i}`) }, "text", {
        text: "x",
      }),
      (e: unknown) => e instanceof ImFieldError && e.field === "openIds",
    );
    await assert.rejects(
      sendBatchMessage(http, { departmentIds: ["0"] }, "text", { text: "x" }),
      (e: unknown) => e instanceof ImFieldError,
    );
    await assert.rejects(
      sendBatchMessage(http, {}, "text", { text: "x" }),
      (e: unknown) => e instanceof ImFieldError && e.field === "targets",
    );
    await assert.rejects(
      sendBatchMessage(http, { openIds: [a.openId] }, "file" as never, {}),
      (e: unknown) => e instanceof ImFieldError && e.field === "msgType",
    );
    assert.equal(sandbox.journal.count("im_batch_send"), before, "refused before any request");
  });
});

Deno.test("batch send: the sandbox answers 10003 (HTTP 200) for parameter errors", async () => {
  await withIm(async ({ raw }) => {
    const path = "/open-apis/message/v4/batch_send/";
    const tooMany = await raw("POST", path, {
      msg_type: "text",
      content: { text: "x" },
      open_ids: Array.from({ length: 201 }, (_, i) => `ou_${i}`),
    });
    assert.deepEqual([tooMany.status, tooMany.body.code], [200, 10003]);
    assert.equal((await raw("POST", path, { msg_type: "text", content: { text: "x" } })).body.code, 10003);
    assert.equal(
      (await raw("POST", path, { msg_type: "file", content: {}, open_ids: ["ou_1"] })).body.code,
      10003,
    );
    assert.equal(
      (await raw("POST", path, { msg_type: "text", content: '{"text":"x"}', open_ids: ["ou_1"] })).body.code,
      10003,
    );
    assert.equal(
      (await raw("POST", path, { msg_type: "interactive", content: { elements: [] }, open_ids: ["ou_1"] }))
        .body.code,
      10003,
    );
  });
});
