/**
 * Every messaging call end to end against the sandbox, with the documented
 * codes: send (text with @, post, card 2.0), reply (in thread), recall, edit,
 * card update, and the documented errors and windows.
 */
import assert from "node:assert/strict";
import { CardBuilder, PostBuilder, textMessage } from "../../lib/im/mod.ts";
import { imState } from "../../sandbox/im/message_state.ts";
import { codeOf, GROUP, withIm } from "./_im_env.ts";

Deno.test("send: text with @mention, post and card 2.0 arrive in the documented shapes", async () => {
  await withIm(async ({ family, im, raw }) => {
    const [zhang, li] = family.directory.users;
    const text = await im.sendText(
      "chat_id",
      GROUP,
      textMessage("请查收", { mentions: [{ openId: li.openId, name: li.name }] }),
    );
    const post = await im.sendPost(
      "open_id",
      zhang.openId,
      new PostBuilder("周报").bold("完成").link("详情", "https://example.com").build(),
    );
    const card = await im.sendCard(
      "email",
      li.email!,
      new CardBuilder().header("通知").markdown("**好**").build(),
    );
    const [t, p, c] = family.sentMessages;
    assert.equal(t.messageId, text.messageId);
    assert.equal(t.chatId, GROUP);
    assert.deepEqual(JSON.parse(t.content), { text: `<at user_id="${li.openId}">${li.name}</at> 请查收` });
    const answer = await raw("POST", "/open-apis/im/v1/messages?receive_id_type=chat_id", {
      receive_id: GROUP,
      msg_type: "text",
      content: JSON.stringify(
        textMessage("看这里", { mentions: [{ openId: li.openId, name: "x" }, { openId: "all" }] }),
      ),
    });
    const data = answer.body.data as {
      body: { content: string };
      mentions: { key: string; id: string; name: string }[];
    };
    assert.deepEqual(data.mentions.map((m) => [m.key, m.id, m.name]), [["@_user_1", li.openId, li.name]]);
    assert.equal(JSON.parse(data.body.content).text, '@_user_1 <at user_id="all"></at> 看这里');
    assert.equal(p.msgType, "post");
    assert.equal(p.user?.openId, zhang.openId);
    assert.deepEqual((p.parsed as { zh_cn: { title: string } }).zh_cn.title, "周报");
    assert.equal(c.msgType, "interactive");
    assert.equal((c.parsed as { schema: string }).schema, "2.0");
    assert.equal(c.user?.openId, li.openId);
    assert.ok(post.messageId.startsWith("om_") && card.messageId.startsWith("om_"));
  });
});

Deno.test("send: bot not in chat 230002, user outside availability 230013, same uuid sends once", async () => {
  await withIm(async ({ family, im, sandbox }) => {
    assert.equal(await codeOf(im.sendText("chat_id", "oc_" + "f".repeat(32), "hi")), 230002);
    assert.equal(await codeOf(im.sendText("open_id", "ou_" + "0".repeat(32), "hi")), 230013);
    const zhang = family.directory.users[0];
    const a = await im.sendText("open_id", zhang.openId, "一次", { uuid: "job-42" });
    const b = await im.sendText("open_id", zhang.openId, "一次", { uuid: "job-42" });
    assert.equal(a.messageId, b.messageId, "the uuid de-duplicates");
    assert.equal(family.sentMessages.length, 1);
    assert.equal(sandbox.journal.count("im_message_create"), 4);
  });
});

Deno.test("send: the sandbox answers parameter errors with 230001 and too long content with 230025", async () => {
  await withIm(async ({ raw }) => {
    const bad = await raw("POST", "/open-apis/im/v1/messages?receive_id_type=chat_id", {
      receive_id: GROUP,
      msg_type: "text",
      content: { text: "not a string" },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 230001);
    const long = await raw("POST", "/open-apis/im/v1/messages?receive_id_type=chat_id", {
      receive_id: GROUP,
      msg_type: "interactive",
      content: JSON.stringify({ elements: [{ tag: "div", text: "x".repeat(31 * 1024) }] }),
    });
    assert.equal(long.body.code, 230025);
  });
});

Deno.test("reply: quotes the message, in a thread when asked; a recalled message cannot be replied to (230011)", async () => {
  await withIm(async ({ family, im }) => {
    const root = await im.sendText("chat_id", GROUP, "原消息");
    const quoted = await im.reply(root.messageId, "text", { text: "引用回复" });
    assert.equal(quoted.chatId, GROUP);
    assert.equal(quoted.threadId, undefined);
    const threaded = await im.reply(root.messageId, "post", new PostBuilder().text("话题回复").build(), {
      replyInThread: true,
    });
    assert.match(threaded.threadId ?? "", /^omt_/);
    const st = imState(family);
    const msg = family.sentMessages.find((m) => m.messageId === threaded.messageId)!;
    assert.equal(st.extras.get(msg)?.parentId, root.messageId);
    await im.recall(root.messageId);
    assert.equal(await codeOf(im.reply(root.messageId, "text", { text: "晚了" })), 230011);
    assert.equal(await codeOf(im.reply("om_unknown", "text", { text: "x" })), 230001);
  });
});

Deno.test("recall: own messages only (230026), once (230110), within the admin's window (230009)", async () => {
  await withIm(async ({ family, im, clock, renew, sentRequestIds }) => {
    const a = await im.sendText("chat_id", GROUP, "a");
    const recalled = await im.recall(a.messageId);
    assert.equal(recalled.requestId, sentRequestIds.at(-1), "the request id the recall was sent with");
    assert.equal(await codeOf(im.recall(a.messageId)), 230110);
    const b = await im.sendText("chat_id", GROUP, "b");
    family.sentMessages.find((m) => m.messageId === b.messageId)!.appId = "cli_someone_else";
    assert.equal(await codeOf(im.recall(b.messageId)), 230026);
    const c = await im.sendText("chat_id", GROUP, "c");
    await clock.tick(imState(family).recallWindowMs + 1000);
    await renew();
    assert.equal(await codeOf(im.recall(c.messageId)), 230009);
  });
});

Deno.test("edit: text/post only (230054), 20 edits at most (230072), window (230075), not after recall (230011)", async () => {
  await withIm(async ({ family, im, clock, renew }) => {
    const t = await im.sendText("chat_id", GROUP, "v0");
    const edited = await im.edit(t.messageId, "text", { text: "v1" });
    assert.equal(edited.messageId, t.messageId);
    assert.equal(family.sentMessages[0].content, '{"text":"v1"}');
    for (let i = 2; i <= 20; i++) await im.edit(t.messageId, "text", { text: `v${i}` });
    assert.equal(await codeOf(im.edit(t.messageId, "text", { text: "v21" })), 230072);
    const card = await im.sendCard("chat_id", GROUP, new CardBuilder().markdown("x").build());
    assert.equal(await codeOf(im.edit(card.messageId, "text", { text: "x" })), 230054);
    const gone = await im.sendText("chat_id", GROUP, "gone");
    await im.recall(gone.messageId);
    assert.equal(await codeOf(im.edit(gone.messageId, "text", { text: "x" })), 230011);
    const old = await im.sendText("chat_id", GROUP, "old");
    await clock.tick(imState(family).editWindowMs + 1000);
    await renew();
    assert.equal(await codeOf(im.edit(old.messageId, "text", { text: "x" })), 230075);
  });
});

Deno.test("card update: 审批中 → 已通过 is visible; shared cards only; 5 QPS per message (230020); 14 days (230031)", async () => {
  await withIm(async ({ family, im, raw, clock, renew, sentRequestIds }) => {
    const pending = new CardBuilder().header("报销审批", "orange").markdown("状态：审批中").build();
    const sent = await im.sendCard("chat_id", GROUP, pending);
    const updated = await im.updateCard(
      sent.messageId,
      new CardBuilder().header("报销审批", "green").markdown("状态：已通过").build(),
    );
    assert.equal(updated.requestId, sentRequestIds.at(-1), "the request id the update was sent with");
    assert.notEqual(updated.requestId, sent.requestId);
    const card = family.sentMessages[0].parsed as { body: { elements: { content: string }[] } };
    assert.equal(card.body.elements[0].content, "状态：已通过");

    // A 1.0 card without update_multi: the client refuses; the sandbox answers 230001.
    const v1 = await im.sendCard("chat_id", GROUP, {
      config: { wide_screen_mode: true },
      elements: [{ tag: "hr" }],
    });
    const refused = await raw("PATCH", `/open-apis/im/v1/messages/${v1.messageId}`, {
      content: JSON.stringify({ config: { update_multi: true }, elements: [{ tag: "hr" }] }),
    });
    assert.equal(refused.body.code, 230001);

    const text = await im.sendText("chat_id", GROUP, "不是卡片");
    const notCard = await raw("PATCH", `/open-apis/im/v1/messages/${text.messageId}`, {
      content: JSON.stringify(pending),
    });
    assert.equal(notCard.body.code, 230054);

    // Raw PATCHes bypass the client's 5/s spacing; with the update above, the 6th in this (frozen) second is refused.
    const codes: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push(
        (await raw("PATCH", `/open-apis/im/v1/messages/${sent.messageId}`, {
          content: JSON.stringify(pending),
        })).body.code,
      );
    }
    assert.deepEqual(codes, [0, 0, 0, 0, 230020, 230020]);
    await clock.tick(1000);
    assert.equal(
      (await raw("PATCH", `/open-apis/im/v1/messages/${sent.messageId}`, {
        content: JSON.stringify(pending),
      })).body.code,
      0,
    );
    await clock.tick(14 * 24 * 3_600_000);
    await renew();
    assert.equal(await codeOf(im.updateCard(sent.messageId, pending)), 230031);
  });
});

Deno.test("the new IM endpoints share the documented 50/s per app: the 51st call in one second is throttled", async () => {
  await withIm(async ({ raw, clock }) => {
    const codes: unknown[] = [];
    for (let i = 0; i < 51; i++) {
      codes.push((await raw("DELETE", "/open-apis/im/v1/messages/om_unknown")).body.code);
    }
    assert.deepEqual(codes.slice(0, 50), Array(50).fill(230001));
    assert.equal(codes[50], 99991400);
    await clock.tick(1000);
    assert.equal(
      (await raw("DELETE", "/open-apis/im/v1/messages/om_unknown")).body.code,
      230001,
      "the next second is open again",
    );
  });
});
