/** Email/mobile → ids (batch_get_id): batching, not-found, validation, two apps; against the sandbox. */
import assert from "node:assert/strict";
import { lookupUserIds } from "../../lib/contact/mod.ts";
import { ParamError, PermissionError } from "../../lib/errors/mod.ts";
import { createLogger, MemorySink } from "../../lib/log/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { postJson, token } from "../sandbox/_helpers.ts";
import { withContacts } from "./_env.ts";

Deno.test("lookupUserIds: emails and mobiles → open_id, user_id, union_id; unknown left out with an INFO log", async () => {
  await withContacts(async ({ sandbox, http, calls }) => {
    const dir = meetingFamily(sandbox).directory;
    const [zhang, li] = dir.users;
    const sink = new MemorySink();
    const found = await lookupUserIds(await http(), {
      emails: [zhang.email, "nobody@example.com"],
      mobiles: [li.mobile],
    }, { logger: createLogger({ sinks: [sink] }) });
    assert.deepEqual(found, [
      { email: zhang.email, openId: zhang.openId, userId: zhang.userId, unionId: zhang.unionId },
      { mobile: li.mobile, openId: li.openId, userId: li.userId, unionId: li.unionId },
    ]);
    assert.equal(calls("contact_batch_get_id"), 3, "one call per id type");
    const info = sink.records.filter((r) => r.event === "contact.user_not_found");
    assert.equal(info.length, 1);
    assert.equal(info[0].level, "info");
  });
});

Deno.test("lookupUserIds: 120 emails go out 50 per call", async () => {
  await withContacts(async ({ sandbox, http, calls }) => {
    const emails = meetingFamily(sandbox).directory.users.slice(0, 120).map((u) => u.email);
    const found = await lookupUserIds(await http(), { emails }, { idTypes: ["union_id"] });
    assert.equal(found.length, 120);
    assert.equal(calls("contact_batch_get_id"), 3, "50 + 50 + 20");
  });
});

Deno.test("lookupUserIds: a bad address is refused before any request, naming the field", async () => {
  await withContacts(async ({ http, calls }) => {
    const client = await http();
    await assert.rejects(
      () => lookupUserIds(client, { emails: ["ok@example.com", "not-an-email"] }),
      (e) => e instanceof ParamError && e.field === "emails[1]" && e.hint.includes("emails[1]"),
    );
    await assert.rejects(
      () => lookupUserIds(client, { mobiles: ["138 0000 abcd"] }),
      (e) => e instanceof ParamError && e.field === "mobiles[0]",
    );
    assert.equal(calls("contact_batch_get_id"), 0);
  });
});

Deno.test("batch_get_id (sandbox): more than 50 emails → 99992402 naming the field; a user token is refused", async () => {
  await withContacts(async ({ sandbox, url, http }) => {
    const client = await http();
    const tat = await token(url);
    const emails = Array.from({ length: 51 }, (_, i) => `u${i}@example.com`);
    const a = await postJson(url + "/open-apis/contact/v3/users/batch_get_id", { emails }, {
      authorization: `Bearer ${tat}`,
    });
    assert.equal(a.status, 400);
    assert.equal(a.body.code, 99992402);
    assert.equal(a.body.error.field_violations[0].field, "emails");
    const fam = meetingFamily(sandbox);
    const user = fam.userTokens.issue(fam.state.options.apps[0].appId, fam.directory.users[0].openId, [], 0);
    const b = await postJson(url + "/open-apis/contact/v3/users/batch_get_id", { emails: ["a@b.cn"] }, {
      authorization: `Bearer ${user.access.value}`,
    });
    assert.equal(b.body.code, 99991668);
    await assert.rejects(
      () =>
        lookupUserIds(client, { emails: ["a@b.cn"] }, {
          auth: {
            label: "user:x",
            headers: () => Promise.resolve({ Authorization: `Bearer ${user.access.value}` }),
          },
        }),
      (e) => e instanceof PermissionError,
    );
  });
});

Deno.test("two apps: the same person has one union_id and a different open_id per app", async () => {
  await withContacts(async ({ sandbox, http }) => {
    const zhang = meetingFamily(sandbox).directory.users[0];
    const [a] = await lookupUserIds(await http(), { emails: [zhang.email] });
    const [b] = await lookupUserIds(await http(true), { emails: [zhang.email] });
    assert.equal(a.unionId, b.unionId);
    assert.equal(a.userId, b.userId);
    assert.notEqual(a.openId, b.openId);
    assert.match(b.openId!, /^ou_[0-9a-f]{32}$/);
  });
});
