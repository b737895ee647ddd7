/**
 * Edit (PUT) and card update (PATCH) of a sent message refuse malformed
 * requests with 230001 naming the field (open.feishu.cn/document/server-docs/
 * im-v1/message/update, …/message-card/patch), someone else's message with
 * 230071 / 230027, a recalled card with 230011, and change nothing.
 */
import assert from "node:assert/strict";
import { CardBuilder } from "../../lib/im/mod.ts";
import { GROUP, withIm } from "./_im_env.ts";

// deno-lint-ignore no-explicit-any
const field = (body: Record<string, any>) => body.error?.field_violations?.[0]?.field;

Deno.test("edit: body, msg_type and content are checked (230001 naming the field); another app's message is 230071", async () => {
  await withIm(async ({ family, im, url }) => {
    const t = await im.sendText("chat_id", GROUP, "原文");
    const path = `/open-apis/im/v1/messages/${t.messageId}`;
    const bearer = (await fetch(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        app_id: family.state.options.apps[0].appId,
        app_secret: family.state.options.apps[0].appSecret,
      }),
    }).then((r) => r.json())).tenant_access_token;
    const put = async (body: string) => {
      const res = await fetch(url + path, {
        method: "PUT",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body,
      });
      return { status: res.status, body: await res.json() };
    };
    const cases: [string, string][] = [
      ["not json", "body"],
      ["[1]", "body"],
      [JSON.stringify({ msg_type: "image", content: "{}" }), "msg_type"],
      [JSON.stringify({ msg_type: "post", content: JSON.stringify({ zh_cn: { content: [] } }) }), "msg_type"],
      [JSON.stringify({ msg_type: "text", content: { text: "not a string" } }), "content"],
      [JSON.stringify({ msg_type: "text", content: "[1]" }), "content"],
    ];
    for (const [body, name] of cases) {
      const a = await put(body);
      assert.equal(a.status, 400);
      assert.equal(a.body.code, 230001, JSON.stringify(a.body));
      assert.equal(field(a.body), name, body);
    }
    const huge = await put(
      JSON.stringify({ msg_type: "text", content: JSON.stringify({ text: "字".repeat(60_000) }) }),
    );
    assert.equal(huge.body.code, 230025);
    assert.equal(family.sentMessages[0].content, JSON.stringify({ text: "原文" }), "nothing was edited");

    family.sentMessages[0].appId = "cli_someone_else";
    assert.equal(
      (await put(JSON.stringify({ msg_type: "text", content: '{"text":"x"}' }))).body.code,
      230071,
    );
  });
});

Deno.test("card update: body and content checked (230001), another app's card 230027, a recalled card 230011", async () => {
  await withIm(async ({ family, im, raw }) => {
    const card = new CardBuilder().markdown("状态：审批中").build();
    const sent = await im.sendCard("chat_id", GROUP, card);
    const path = `/open-apis/im/v1/messages/${sent.messageId}`;
    const notObject = await raw("PATCH", path, "plain string");
    assert.equal(notObject.body.code, 230001);
    assert.equal(field(notObject.body), "body");
    const notString = await raw("PATCH", path, { content: card });
    assert.equal(notString.body.code, 230001);
    assert.equal(field(notString.body), "content");

    const unknown = await raw("PATCH", "/open-apis/im/v1/messages/om_unknown", {
      content: JSON.stringify(card),
    });
    assert.equal(unknown.body.code, 230001);

    const stored = family.sentMessages.find((m) => m.messageId === sent.messageId)!;
    stored.appId = "cli_someone_else";
    assert.equal((await raw("PATCH", path, { content: JSON.stringify(card) })).body.code, 230027);
    stored.appId = family.state.options.apps[0].appId;
    await im.recall(sent.messageId);
    assert.equal((await raw("PATCH", path, { content: JSON.stringify(card) })).body.code, 230011);
  });
});

Deno.test("reply: body, msg_type, content, uuid and reply_in_thread are checked (230001 naming the field); a uuid answers once", async () => {
  await withIm(async ({ family, im, raw }) => {
    const root = await im.sendText("chat_id", GROUP, "问题");
    const path = `/open-apis/im/v1/messages/${root.messageId}/reply`;
    const text = JSON.stringify({ text: "答复" });
    const cases: [unknown, string][] = [
      ["not an object", "body"],
      [{ msg_type: "telegram", content: text }, "msg_type"],
      [{ content: text }, "msg_type"],
      [{ msg_type: "text", content: 5 }, "content"],
      [{ msg_type: "text", content: text, uuid: "u".repeat(51) }, "uuid"],
      [{ msg_type: "text", content: text, uuid: 7 }, "uuid"],
      [{ msg_type: "text", content: text, reply_in_thread: "yes" }, "reply_in_thread"],
    ];
    for (const [body, name] of cases) {
      const a = await raw("POST", path, body);
      assert.equal(a.body.code, 230001, JSON.stringify(a.body));
      assert.equal(field(a.body), name, JSON.stringify(body));
    }
    assert.equal(family.sentMessages.length, 1, "no refused reply was sent");
    const first = await raw("POST", path, { msg_type: "text", content: text, uuid: "reply-1" });
    const again = await raw("POST", path, { msg_type: "text", content: text, uuid: "reply-1" });
    assert.equal(first.body.code, 0);
    // deno-lint-ignore no-explicit-any
    assert.equal((again.body.data as any).message_id, (first.body.data as any).message_id);
    assert.equal(family.sentMessages.length, 2, "the same uuid sends once");
  });
});
