/**
 * Parameter checks of two much-used sandbox endpoints: IM send
 * (open.feishu.cn/document/server-docs/im-v1/message/create: 230001 naming the
 * field, 230025 too long) and contact `users/batch_get_id`
 * (open.feishu.cn/document/server-docs/contact-v3/user/batch_get_id: 99992402
 * naming the field, at most 50 emails and 50 mobiles; unknown ones answered
 * without `user_id`). A refused send sends nothing.
 */
import assert from "node:assert/strict";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { type Answer, call, token, withSandbox } from "./_helpers.ts";

const GROUP = "oc_" + "b2".repeat(16);

function field(a: Answer): string | undefined {
  return a.body?.error?.field_violations?.[0]?.field;
}

Deno.test("IM send: receive_id_type, body, receive_id, msg_type, content and uuid are checked; nothing is sent", async () => {
  await withSandbox(
    { defaultRateLimits: false, meeting: { botChats: [GROUP] } },
    async ({ sandbox, url }) => {
      const bearer = await token(url);
      const send = (query: string, body: unknown) =>
        call(`${url}/open-apis/im/v1/messages${query}`, {
          method: "POST",
          headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
        });
      const text = JSON.stringify({ text: "你好" });
      const good = { receive_id: GROUP, msg_type: "text", content: text };
      const cases: [string, unknown, string][] = [
        ["", good, "receive_id_type"],
        ["?receive_id_type=phone", good, "receive_id_type"],
        ["?receive_id_type=chat_id", "not json", "body"],
        ["?receive_id_type=chat_id", "[]", "body"],
        ["?receive_id_type=chat_id", { ...good, receive_id: "" }, "receive_id"],
        ["?receive_id_type=chat_id", { ...good, msg_type: "fax" }, "msg_type"],
        ["?receive_id_type=chat_id", { ...good, content: { text: "x" } }, "content"],
        ["?receive_id_type=chat_id", { ...good, content: "[1]" }, "content"],
        ["?receive_id_type=chat_id", { ...good, uuid: "u".repeat(51) }, "uuid"],
      ];
      for (const [query, body, name] of cases) {
        const a = await send(query, body);
        assert.equal(a.body.code, 230001, a.text);
        assert.equal(field(a), name, JSON.stringify(body));
      }
      const long = await send("?receive_id_type=chat_id", {
        ...good,
        content: JSON.stringify({ text: "字".repeat(60_000) }),
      });
      assert.equal(long.body.code, 230025);
      assert.equal(meetingFamily(sandbox).sentMessages.length, 0, "no refused message was sent");
      const ok = await send("?receive_id_type=chat_id", good);
      assert.equal(ok.body.code, 0, ok.text);
      assert.equal(meetingFamily(sandbox).sentMessages.length, 1);
    },
  );
});

Deno.test("contact batch_get_id: user_id_type, body, emails/mobiles types and sizes; unknown people have no user_id", async () => {
  await withSandbox({ defaultRateLimits: false }, async ({ sandbox, url }) => {
    const bearer = await token(url);
    const post = (query: string, body: unknown) =>
      call(`${url}/open-apis/contact/v3/users/batch_get_id${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    const cases: [string, unknown, string][] = [
      ["?user_id_type=employee_id", { emails: ["a@b.c"] }, "user_id_type"],
      ["", "{", "body"],
      ["", "null", "body"],
      ["", "[]", "body"],
      ["", { emails: "a@b.c" }, "emails"],
      ["", { emails: [1] }, "emails"],
      ["", { mobiles: [13800000000] }, "mobiles"],
      ["", { emails: Array(51).fill("a@b.c") }, "emails"],
      ["", { mobiles: Array(51).fill("13800000000") }, "mobiles"],
      ["", {}, "emails"],
    ];
    for (const [query, body, name] of cases) {
      const a = await post(query, body);
      assert.equal(a.body.code, 99992402, a.text);
      assert.equal(field(a), name, JSON.stringify(body));
    }
    const someone = meetingFamily(sandbox).directory.users[0];
    const found = await post("?user_id_type=union_id", {
      emails: [someone.email, "nobody@example.com"],
      mobiles: [someone.mobile, "+8613000000000"],
    });
    assert.equal(found.body.code, 0, found.text);
    const list = found.body.data.user_list;
    assert.equal(list[0].user_id, someone.unionId);
    assert.equal(list[1].user_id, undefined);
    assert.equal(list[2].user_id, someone.unionId);
    assert.equal(list[3].user_id, undefined);
    // A mobile without +86 is read as a mainland number.
    const local = await post("?user_id_type=user_id", { mobiles: [someone.mobile!.replace(/^\+86/, "")] });
    assert.equal(local.body.data.user_list[0].user_id, someone.userId);
  });
});
