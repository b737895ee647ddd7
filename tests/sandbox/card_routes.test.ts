/**
 * The sandbox's card family: seeding a card, the click control route
 * (delivered signed to a loopback callback, refused elsewhere), and the
 * card-update endpoint for seeded cards (open.feishu.cn/document/server-docs/
 * im-v1/message-card/patch): tenant token, `{content}` a card JSON string
 * ≤ 30 KB (230025), 230001 naming the field otherwise, only the app's own card.
 */
import assert from "node:assert/strict";
import { type Answer, call, postJson, token, withSandbox } from "./_helpers.ts";

const APP = "cli_a1b2c3d4e5f60001";

Deno.test("card sandbox: seed and read a card; the click route delivers to loopback only and reports the answer", async () => {
  await withSandbox({}, async ({ sandbox, url }) => {
    refusedControl(await postJson(`${url}/__sandbox/card/messages`, { card: {} }), 400);
    const seeded = await postJson(`${url}/__sandbox/card/messages`, {
      app_id: sandbox.state.options.apps[0].appId,
      card: { elements: [{ tag: "markdown", content: "审批中" }] },
    });
    const id = seeded.body.data.message_id;
    assert.match(id, /^om_[0-9a-f]{32}$/);
    const read = await call(`${url}/__sandbox/card/messages/${id}`);
    assert.equal(read.body.data.updates, 0);
    assert.equal((await call(`${url}/__sandbox/card/messages/om_nope`)).status, 404);

    refusedControl(await postJson(`${url}/__sandbox/card/click`, { app_id: APP }), 400);
    const input = { app_id: APP, message_id: id, open_id: "ou_1", action: { value: { action: "approve" } } };
    refusedControl(
      await postJson(`${url}/__sandbox/card/click`, { ...input, callback_url: "http://example.com/cb" }),
      400,
    );
    // A service that answers: the click is signed and its answer reported back.
    const seen: Headers[] = [];
    const service = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      seen.push(req.headers);
      await req.body?.cancel();
      return Response.json({ toast: { type: "success", content: "已收到" } });
    });
    try {
      const clicked = await postJson(`${url}/__sandbox/card/click`, {
        ...input,
        callback_url: `http://127.0.0.1:${service.addr.port}/card`,
        encrypt_key: "sandbox-encrypt-key",
      });
      assert.equal(clicked.body.data.status, 200);
      assert.match(clicked.body.data.body, /已收到/);
      assert.match(clicked.body.data.event_id, /\w+/);
      assert.match(seen[0].get("x-lark-signature") ?? "", /^[0-9a-f]{64}$/, "signed with the Encrypt Key");
      assert.ok(seen[0].get("x-lark-request-nonce") && seen[0].get("x-lark-request-timestamp"));
    } finally {
      await service.shutdown();
    }
    // Nobody listening: the delivery failure is reported, not thrown.
    const dead = await postJson(`${url}/__sandbox/card/click`, {
      ...input,
      callback_url: "http://127.0.0.1:9/x",
    });
    assert.equal(dead.body.data.status, 0);
    assert.match(dead.body.data.body, /delivery failed/);
  });
});

function refusedControl(a: Answer, status: number) {
  assert.equal(a.status, status, a.text);
  assert.equal(a.body.code, 1, a.text);
}

Deno.test("card sandbox: updating a seeded card — token, body, size, JSON object, the app's own card", async () => {
  await withSandbox({ defaultRateLimits: false }, async ({ sandbox, url }) => {
    const appId = sandbox.state.options.apps[0].appId;
    const seed = (app: string) =>
      postJson(`${url}/__sandbox/card/messages`, { app_id: app, card: { elements: [] } }).then((a) =>
        a.body.data.message_id as string
      );
    const mine = await seed(appId);
    const theirs = await seed("cli_someone_else");
    const bearer = await token(url);
    const patch = (id: string, body: string, auth = `Bearer ${bearer}`) =>
      call(`${url}/open-apis/im/v1/messages/${id}`, {
        method: "PATCH",
        headers: { authorization: auth, "content-type": "application/json" },
        body,
      });
    const card = JSON.stringify({ elements: [{ tag: "markdown", content: "已通过" }] });
    assert.equal((await patch(mine, JSON.stringify({ content: card }), "")).body.code, 99991661);
    assert.equal(
      (await patch(mine, JSON.stringify({ content: card }), "Bearer t-forged")).body.code,
      99991663,
    );
    const field = (a: Answer) => a.body.error?.field_violations?.[0]?.field;
    const notJson = await patch(mine, "{");
    assert.deepEqual([notJson.body.code, field(notJson)], [230001, "body"]);
    const notString = await patch(mine, JSON.stringify({ content: { elements: [] } }));
    assert.deepEqual([notString.body.code, field(notString)], [230001, "content"]);
    const notObject = await patch(mine, JSON.stringify({ content: "[1]" }));
    assert.deepEqual([notObject.body.code, field(notObject)], [230001, "content"]);
    const big = JSON.stringify({ elements: [{ tag: "markdown", content: "字".repeat(11_000) }] });
    assert.equal((await patch(mine, JSON.stringify({ content: big }))).body.code, 230025);
    assert.equal((await patch(theirs, JSON.stringify({ content: card }))).body.code, 230001);

    const ok = await patch(mine, JSON.stringify({ content: card }));
    assert.equal(ok.body.code, 0, ok.text);
    const now = await call(`${url}/__sandbox/card/messages/${mine}`);
    assert.equal(now.body.data.updates, 1, "only the accepted update counts");
    assert.deepEqual(now.body.data.history, [{ elements: [] }]);
    assert.match(JSON.stringify(now.body.data.card), /已通过/);
  });
});
