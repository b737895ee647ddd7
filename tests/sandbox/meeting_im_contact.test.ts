import assert from "node:assert/strict";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { createSandbox } from "../../sandbox/mod.ts";
import { call, postJson, token, withSandbox } from "./_helpers.ts";

const MESSAGES = "/open-apis/im/v1/messages";

function card(title: string, padding = 0): string {
  return JSON.stringify({
    schema: "2.0",
    header: { title: { tag: "plain_text", content: title }, template: "green" },
    body: { elements: [{ tag: "markdown", content: "x".repeat(padding) }] },
  });
}

function send(url: string, bearer: string, idType: string, body: Record<string, unknown>) {
  return postJson(`${url}${MESSAGES}?receive_id_type=${idType}`, body, { authorization: `Bearer ${bearer}` });
}

function get(url: string, bearer: string) {
  return call(url, { headers: { authorization: `Bearer ${bearer}` } });
}

Deno.test("im: an interactive card to an open_id is sent, journaled and kept in sentMessages", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const zhang = family.directory.users[0];
    const bearer = await token(url);
    const a = await send(url, bearer, "open_id", {
      receive_id: zhang.openId,
      msg_type: "interactive",
      content: card("录制已归档"),
    });
    assert.equal(a.status, 200);
    assert.equal(a.body.code, 0);
    assert.match(a.body.data.message_id, /^om_[0-9a-f]{32}$/);
    assert.equal(a.body.data.msg_type, "interactive");
    assert.match(a.body.data.chat_id, /^oc_/);
    assert.equal(a.body.data.sender.sender_type, "app");
    assert.equal(sandbox.journal.count("im_message_create"), 1);
    const [m] = family.sentMessages;
    assert.equal(m.user?.name, "张三");
    assert.equal(m.msgType, "interactive");
    assert.equal((m.parsed as { header: { template: string } }).header.template, "green");
    const listed = await call(url + "/__sandbox/meeting/messages");
    assert.equal(listed.body.data[0].user.name, "张三");

    const byUserId = await send(url, bearer, "user_id", {
      receive_id: zhang.userId,
      msg_type: "text",
      content: JSON.stringify({ text: "你好" }),
    });
    assert.equal(byUserId.body.code, 0);
    const byEmail = await send(url, bearer, "email", {
      receive_id: zhang.email,
      msg_type: "text",
      content: "{}",
    });
    assert.equal(byEmail.body.code, 0);
    assert.equal(family.sentMessages.length, 3);
    assert.ok(family.sentMessages.every((x) => x.user === zhang));
  });
});

Deno.test("im: validation — receive_id_type, msg_type, content string, 30 KB card limit, unknown user", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const zhang = meetingFamily(sandbox).directory.users[0];
    const bearer = await token(url);
    const base = { receive_id: zhang.openId, msg_type: "interactive", content: card("t") };
    const noType = await postJson(url + MESSAGES, base, { authorization: `Bearer ${bearer}` });
    assert.deepEqual([noType.status, noType.body.code], [400, 230001]);
    assert.equal(noType.body.error.field_violations[0].field, "receive_id_type");
    assert.equal((await send(url, bearer, "open_id", { ...base, msg_type: "card" })).body.code, 230001);
    const wrongKind = await send(url, bearer, "open_id", { ...base, receive_id: zhang.unionId });
    assert.deepEqual([wrongKind.status, wrongKind.body.code], [400, 230034], "a union_id as open_id");
    const badEmail = await send(url, bearer, "email", { ...base, receive_id: "not-an-email" });
    assert.equal(badEmail.body.code, 230034);
    const objContent = await send(url, bearer, "open_id", { ...base, content: { text: "x" } });
    assert.equal(objContent.body.error.field_violations[0].field, "content");
    const big = await send(url, bearer, "open_id", { ...base, content: card("big", 31 * 1024) });
    assert.deepEqual([big.status, big.body.code], [400, 230025]);
    const fits = await send(url, bearer, "open_id", { ...base, content: card("fits", 29 * 1024) });
    assert.equal(fits.body.code, 0);
    const nobody = await send(url, bearer, "open_id", { ...base, receive_id: "ou_nobody" });
    assert.deepEqual([nobody.status, nobody.body.code], [400, 230013]);
    assert.equal((await send(url, "t-invalid", "open_id", base)).body.code, 99991663);
    assert.equal(meetingFamily(sandbox).sentMessages.length, 1);
  });
});

Deno.test("im: chat_id — the bot's p2p chats and meeting.botChats; other chats 230002", async () => {
  const group = "oc_" + "a".repeat(32);
  await withSandbox({ meeting: { botChats: [group] } }, async ({ url, sandbox }) => {
    const zhang = meetingFamily(sandbox).directory.users[0];
    const bearer = await token(url);
    const text = { msg_type: "text", content: JSON.stringify({ text: "你好" }) };
    const first = await send(url, bearer, "open_id", { receive_id: zhang.openId, ...text });
    const p2p = first.body.data.chat_id;
    assert.equal((await send(url, bearer, "chat_id", { receive_id: p2p, ...text })).body.code, 0);
    assert.equal((await send(url, bearer, "chat_id", { receive_id: group, ...text })).body.code, 0);
    const outside = await send(url, bearer, "chat_id", { receive_id: "oc_" + "b".repeat(32), ...text });
    assert.deepEqual([outside.status, outside.body.code], [400, 230002]);
    const malformed = await send(url, bearer, "chat_id", { receive_id: "chat-1", ...text });
    assert.equal(malformed.body.code, 230034);
  });
});

Deno.test("im: the same uuid within an hour answers the first message again", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const bearer = await token(url);
    const body = {
      receive_id: family.directory.users[1].openId,
      msg_type: "text",
      content: '{"text":"a"}',
      uuid: "u-1",
    };
    const a = await send(url, bearer, "open_id", body);
    const b = await send(url, bearer, "open_id", body);
    assert.equal(a.body.data.message_id, b.body.data.message_id);
    assert.equal(family.sentMessages.length, 1);
  });
});

Deno.test("contact: user by open_id / user_id / union_id with department ids of either kind", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const dir = meetingFamily(sandbox).directory;
    const zhang = dir.users[0];
    const bearer = await token(url);
    const a = await get(`${url}/open-apis/contact/v3/users/${zhang.openId}`, bearer);
    assert.equal(a.body.code, 0);
    const u = a.body.data.user;
    assert.equal(u.name, "张三");
    assert.equal(u.email, zhang.email);
    assert.deepEqual([u.open_id, u.union_id, u.user_id], [zhang.openId, zhang.unionId, zhang.userId]);
    assert.equal(u.department_ids.length, 2, "张三 is in two departments");
    assert.ok(u.department_ids.every((id: string) => id.startsWith("od-")));
    const b = await get(
      `${url}/open-apis/contact/v3/users/${zhang.userId}?user_id_type=user_id&department_id_type=department_id`,
      bearer,
    );
    const names = b.body.data.user.department_ids.map((id: string) =>
      dir.department(id, "department_id")!.name
    );
    assert.deepEqual(names, ["后端组", "市场部"]);
    const c = await get(`${url}/open-apis/contact/v3/users/${zhang.unionId}?user_id_type=union_id`, bearer);
    assert.equal(c.body.data.user.name, "张三");
    const wrongKind = await get(`${url}/open-apis/contact/v3/users/${zhang.userId}`, bearer);
    assert.deepEqual([wrongKind.status, wrongKind.body.code], [400, 41050]);
    const badType = await get(`${url}/open-apis/contact/v3/users/${zhang.openId}?user_id_type=x`, bearer);
    assert.deepEqual([badType.status, badType.body.code], [400, 99992402]);
    assert.equal(sandbox.journal.count("contact_user_get"), 5);
  });
});

Deno.test("contact: departments — get, root 40161, children (recursive) and members with paging", async () => {
  await withSandbox({ meeting: { extraUsers: 30 } }, async ({ url, sandbox }) => {
    const dir = meetingFamily(sandbox).directory;
    const bearer = await token(url);
    const rd = dir.departments.find((d) => d.name === "研发部")!;
    const backend = dir.departments.find((d) => d.name === "后端组")!;
    const dep = await get(`${url}/open-apis/contact/v3/departments/${backend.openDepartmentId}`, bearer);
    assert.equal(dep.body.code, 0);
    assert.equal(dep.body.data.department.name, "后端组");
    assert.equal(dep.body.data.department.parent_department_id, rd.openDepartmentId);
    assert.equal(dep.body.data.department.department_id, backend.departmentId);
    const byCustom = await get(
      `${url}/open-apis/contact/v3/departments/${rd.departmentId}?department_id_type=department_id`,
      bearer,
    );
    assert.equal(byCustom.body.data.department.parent_department_id, "0");
    assert.equal((await get(`${url}/open-apis/contact/v3/departments/0`, bearer)).body.code, 40161);
    const nope = await get(`${url}/open-apis/contact/v3/departments/od-nope`, bearer);
    assert.deepEqual([nope.status, nope.body.code], [400, 40015]);

    const top = await get(`${url}/open-apis/contact/v3/departments/0/children`, bearer);
    assert.deepEqual(top.body.data.items.map((d: { name: string }) => d.name), [
      "研发部",
      "市场部",
      "产品部",
      "行政部",
    ]);
    assert.equal(top.body.data.has_more, false);
    const deep = await get(
      `${url}/open-apis/contact/v3/departments/0/children?fetch_child=true&page_size=5`,
      bearer,
    );
    assert.equal(deep.body.data.items.length, 5);
    assert.equal(deep.body.data.has_more, true);
    const next = await get(
      `${url}/open-apis/contact/v3/departments/0/children?fetch_child=true&page_size=5&page_token=${deep.body.data.page_token}`,
      bearer,
    );
    assert.equal(next.body.data.items.length, 3);
    assert.equal(next.body.data.has_more, false);

    const members = dir.members(backend.departmentId);
    assert.ok(members.length > 3);
    const seen: string[] = [];
    let pageToken = "";
    for (let i = 0; i < 20; i++) {
      const q = `department_id=${backend.openDepartmentId}&page_size=2${
        pageToken ? `&page_token=${pageToken}` : ""
      }`;
      const page = await get(`${url}/open-apis/contact/v3/users/find_by_department?${q}`, bearer);
      assert.equal(page.body.code, 0);
      seen.push(...page.body.data.items.map((u: { open_id: string }) => u.open_id));
      if (!page.body.data.has_more) break;
      pageToken = page.body.data.page_token;
    }
    assert.deepEqual(seen, members.map((u) => u.openId));
    const root = await get(`${url}/open-apis/contact/v3/users/find_by_department?department_id=0`, bearer);
    assert.deepEqual(root.body.data.items.map((u: { name: string }) => u.name), ["刘总"]);
    const big = await get(
      `${url}/open-apis/contact/v3/users/find_by_department?department_id=0&page_size=51`,
      bearer,
    );
    assert.deepEqual([big.status, big.body.code], [400, 40011]);
    const badToken = await get(
      `${url}/open-apis/contact/v3/users/find_by_department?department_id=0&page_token=zzz`,
      bearer,
    );
    assert.deepEqual([badToken.status, badToken.body.code], [400, 40012]);
    assert.equal(sandbox.journal.count("contact_users_by_department") >= 3, true);
  });
});

Deno.test("contact: a user token works too; the directory is the same for the same seed", async () => {
  await withSandbox({ seed: 7 }, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const user = family.directory.users[2];
    const { code } = family.authorize({ user_id: user.openId, redirect_uri: "http://127.0.0.1:1/cb" });
    const t = await postJson(url + "/open-apis/authen/v2/oauth/token", {
      grant_type: "authorization_code",
      client_id: "cli_a1b2c3d4e5f60718",
      client_secret: "sandbox-secret",
      code,
    });
    const a = await get(`${url}/open-apis/contact/v3/users/${user.openId}`, t.body.access_token);
    assert.equal(a.body.data.user.name, "王五");
  });
  const ids = (seed: number) => meetingFamily(createSandbox({ seed })).directory.users.map((u) => u.openId);
  assert.deepEqual(ids(7), ids(7));
  assert.notDeepEqual(ids(7), ids(8));
});

Deno.test("contact: users/batch is its own endpoint (not users/:user_id); unknown ids left out", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const dir = meetingFamily(sandbox).directory;
    const [a, b] = dir.users;
    const bearer = await token(url);
    const res = await get(
      `${url}/open-apis/contact/v3/users/batch?user_ids=${a.openId}&user_ids=ou_nobody&user_ids=${b.openId}`,
      bearer,
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.data.items.map((u: { open_id: string }) => u.open_id), [a.openId, b.openId]);
    assert.equal(sandbox.journal.count("contact_users_batch"), 1);
    assert.equal(sandbox.journal.count("contact_user_get"), 0);
    const none = await get(`${url}/open-apis/contact/v3/users/batch`, bearer);
    assert.deepEqual([none.status, none.body.code], [400, 99992402]);
  });
});

Deno.test("contact: recursive listing refused with 43010 or 40162; departments out of range 40004 [403]", async () => {
  await withSandbox({ meeting: { contactRefuseRecursive: 43010 } }, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const bearer = await token(url);
    const deep = await get(`${url}/open-apis/contact/v3/departments/0/children?fetch_child=true`, bearer);
    assert.deepEqual([deep.status, deep.body.code], [400, 43010]);
    family.configure({ contactRefuseRecursive: 40162 });
    const again = await get(`${url}/open-apis/contact/v3/departments/0/children?fetch_child=true`, bearer);
    assert.deepEqual([again.status, again.body.code], [400, 40162]);
    const flat = await get(`${url}/open-apis/contact/v3/departments/0/children`, bearer);
    assert.equal(flat.body.code, 0, "one level at a time still works");

    const rd = family.directory.departments.find((d) => d.name === "研发部")!;
    const backend = family.directory.departments.find((d) => d.name === "后端组")!;
    family.configure({ contactOutOfScope: [rd.departmentId] });
    const hidden = await get(`${url}/open-apis/contact/v3/departments/${backend.openDepartmentId}`, bearer);
    assert.deepEqual([hidden.status, hidden.body.code], [403, 40004], "a sub-department of a hidden one");
    const members = await get(
      `${url}/open-apis/contact/v3/users/find_by_department?department_id=${rd.openDepartmentId}`,
      bearer,
    );
    assert.deepEqual([members.status, members.body.code], [403, 40004]);
    const top = await get(`${url}/open-apis/contact/v3/departments/0/children`, bearer);
    assert.ok(!top.body.data.items.some((d: { name: string }) => d.name === "研发部"));
  });
});

Deno.test("contact: user_id, email, mobile and employee_no only with their field scopes", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const zhang = meetingFamily(sandbox).directory.users[0];
    const bearer = await token(url);
    const path = `${url}/open-apis/contact/v3/users/${zhang.openId}`;
    const full = (await get(path, bearer)).body.data.user;
    assert.equal(full.user_id, zhang.userId);
    assert.equal(full.email, zhang.email);
    assert.equal(full.mobile, zhang.mobile);
    assert.equal(full.employee_no, zhang.employeeNo);
    sandbox.state.appScopes.clear();
    sandbox.state.appScopes.add("contact:contact.base:readonly");
    const bare = (await get(path, bearer)).body.data.user;
    assert.equal(bare.open_id, zhang.openId);
    assert.equal(bare.name, zhang.name);
    for (const key of ["user_id", "email", "enterprise_email", "mobile", "employee_no"]) {
      assert.equal(key in bare, false, key);
    }
    sandbox.state.appScopes.add("contact:user.employee:readonly");
    assert.equal((await get(path, bearer)).body.data.user.employee_no, zhang.employeeNo);
    sandbox.reset();
    const restored = (await get(path, await token(url))).body.data.user;
    assert.equal(restored.user_id, zhang.userId, "reset restores the configured app scopes");
  });
});
