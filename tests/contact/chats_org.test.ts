/** Chats by name and details, and the organisation tree (with refused recursion), against the sandbox. */
import assert from "node:assert/strict";
import { ChatLookup, ContactApi, orgTree } from "../../lib/contact/mod.ts";
import { LarkError, ParamError } from "../../lib/errors/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { call, token } from "../sandbox/_helpers.ts";
import { withContacts } from "./_env.ts";

Deno.test("ChatLookup: chat by name, details, validation, unknown chat", async () => {
  await withContacts(async ({ sandbox, http, calls }) => {
    const rd = meetingFamily(sandbox).directory.departments.find((d) => d.name === "研发部")!;
    const chats = new ChatLookup(await http());
    const found = await chats.findByName("研发部");
    assert.deepEqual(found.map((c) => c.chatId), [rd.chatId]);
    const all = [];
    for await (const c of chats.search("组")) all.push(c.name);
    assert.deepEqual(all.sort(), ["前端组", "后端组", "品牌组", "测试组"].sort());
    const info = await chats.get(rd.chatId);
    assert.equal(info.name, "研发部");
    assert.equal(info.mode, "group");
    assert.equal(info.userCount, meetingFamily(sandbox).directory.members(rd.departmentId).length);
    const before = calls("im_chat_search") + calls("im_chat_get");
    await assert.rejects(
      () => chats.findByName(""),
      (e) => e instanceof ParamError && e.field === "query",
    );
    await assert.rejects(
      () => chats.findByName("x".repeat(65)),
      (e) => e instanceof ParamError && e.field === "query",
    );
    await assert.rejects(
      () => chats.get("ou_notachat"),
      (e) => e instanceof ParamError && e.field === "chatId",
    );
    assert.equal(calls("im_chat_search") + calls("im_chat_get"), before);
    await assert.rejects(() => chats.get("oc_unknown"), (e) => e instanceof LarkError && e.code === 232011);
  });
});

Deno.test("orgTree: the whole tree, and the same tree walked level by level when recursion is refused", async () => {
  for (const refuse of [0, 40162, 43010] as const) {
    await withContacts(async ({ sandbox, http, calls }) => {
      const dir = meetingFamily(sandbox).directory;
      const root = await orgTree(new ContactApi(await http()), { rootName: "公司" });
      assert.equal(root.name, "公司");
      assert.deepEqual(root.children.map((c) => c.name), ["研发部", "市场部", "产品部", "行政部"]);
      const rd = root.children[0];
      assert.deepEqual(rd.children.map((c) => c.name), ["后端组", "前端组", "测试组"]);
      assert.equal(root.children[1].children[0].name, "品牌组");
      const count = (n: typeof root): number => n.children.reduce((s, c) => s + 1 + count(c), 0);
      assert.equal(count(root), dir.departments.length);
      if (refuse !== 0) assert.ok(calls("contact_department_children") > 1, "walked level by level");
    }, { contactRefuseRecursive: refuse });
  }
});

Deno.test("chats/search (sandbox): page_size over 100 → 99992402; a long query finds nothing", async () => {
  await withContacts(async ({ url }) => {
    const auth = { authorization: `Bearer ${await token(url)}` };
    const big = await call(`${url}/open-apis/im/v1/chats/search?query=%E7%BB%84&page_size=101`, {
      headers: auth,
    });
    assert.equal(big.status, 400);
    assert.equal(big.body.code, 99992402);
    const long = await call(`${url}/open-apis/im/v1/chats/search?query=${"x".repeat(65)}`, { headers: auth });
    assert.deepEqual(long.body.data.items, []);
  });
});
