/**
 * User authorization over the core's admin API, over HTTP against the
 * sandbox: `POST /admin/user-auth` starts it from any process (the user gets
 * the app's card or link), `GET /admin/user-auth/:id` follows the session to
 * `completed`; bearer token required, input validated with Chinese fixes
 * naming the field, answers in the one envelope.
 */
import assert from "node:assert/strict";
import { APP_B, startTwoAppCore } from "./_core_app.ts";

Deno.test("admin API: POST /admin/user-auth sends B's link; GET follows the session to completed", async () => {
  const t = await startTwoAppCore();
  try {
    const res = await t.admin("/admin/user-auth", {
      method: "POST",
      body: JSON.stringify({ app_id: APP_B.appId, user_id: t.user.openId, via: "link" }),
    });
    const created = await res.json();
    assert.equal(res.status, 201, JSON.stringify(created));
    assert.equal(created.code, 0);
    assert.equal(created.error, null);
    assert.equal(created.request_id, res.headers.get("x-request-id"));
    const id = created.data.session_id;
    assert.match(id, /^uas_/);
    assert.equal(created.data.status, "pending");
    assert.equal(created.data.via, "link");
    assert.equal(created.data.app_id, APP_B.appId);
    assert.ok(Date.parse(created.data.expires_at) - Date.now() > 9 * 60_000, "10 minutes to complete");
    assert.ok(!JSON.stringify(created).includes("state="), "the state is not handed out");

    const sent = t.family.sentMessages.find((m) => m.messageId === created.data.message_id);
    assert.equal(sent?.appId, APP_B.appId, "the link is sent by app B");
    assert.equal(sent?.msgType, "text");
    const link = /https?:\/\/\S+/.exec((sent!.parsed as { text: string }).text)![0];

    const pending = await (await t.admin(`/admin/user-auth/${id}`)).json();
    assert.equal(pending.data.status, "pending");

    const page = await fetch(t.approve(link, t.user.openId));
    assert.equal(page.status, 200, await page.clone().text());
    await page.body?.cancel();
    const done = await t.admin(`/admin/user-auth/${id}`);
    const body = await done.json();
    assert.equal(done.status, 200);
    assert.equal(body.data.status, "completed");
    assert.ok(body.data.finished_at);
    assert.equal(await t.core.tokens.userStatus(APP_B.appId, t.user.openId), "authorized");
  } finally {
    await t.close();
  }
});

Deno.test("admin API: /admin/user-auth needs the bearer token and validates each field in Chinese", async () => {
  const t = await startTwoAppCore();
  try {
    const anonymous = await fetch(`${t.url}/admin/user-auth`, {
      method: "POST",
      body: JSON.stringify({ app_id: APP_B.appId, user_id: t.user.openId, via: "card" }),
    });
    assert.equal(anonymous.status, 401);
    assert.equal((await anonymous.json()).code, "unauthorized");
    assert.equal((await fetch(`${t.url}/admin/user-auth/uas_abc`)).status, 401);

    const post = async (body: unknown) => {
      const res = await t.admin("/admin/user-auth", {
        method: "POST",
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const ok = { app_id: APP_B.appId, user_id: t.user.openId, via: "card" };
    for (
      const [input, field] of [
        ["not json", "请求体"],
        [{ ...ok, app_id: undefined }, "app_id"],
        [{ ...ok, app_id: "app-1" }, "app_id"],
        [{ ...ok, user_id: "" }, "user_id"],
        [{ ...ok, user_id: "ou x" }, "user_id"],
        [{ ...ok, via: undefined }, "via"],
        [{ ...ok, via: "sms" }, "via"],
        [{ ...ok, user_id_type: "email" }, "user_id_type"],
      ] as const
    ) {
      const r = await post(input);
      assert.equal(r.status, 400, JSON.stringify(input));
      assert.equal(r.body.code, "bad_request");
      assert.equal(r.body.data, null);
      assert.ok(r.body.error.fix.startsWith(field), `${r.body.error.fix} names ${field}`);
    }
    assert.equal(t.family.sentMessages.length, 0, "nothing sent for bad input");

    const unknown = await post({ ...ok, app_id: "cli_unknown0000000" });
    assert.equal(unknown.status, 409);
    assert.equal(unknown.body.error.kind, "config");
    assert.match(unknown.body.error.fix, /未注册/);

    const missing = await t.admin("/admin/user-auth/uas_doesnotexist");
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).code, "not_found");
    const malformed = await t.admin("/admin/user-auth/x'y");
    assert.equal(malformed.status, 400);
    assert.match((await malformed.json()).error.fix, /会话 ID/);
  } finally {
    await t.close();
  }
});
