import assert from "node:assert/strict";
import { DEFAULT_APP_ID } from "../../sandbox/mod.ts";
import { buttonUrl, setup } from "./_setup.ts";

Deno.test("user auth by card: card sent, user authorizes, tokens stored for that app and user", async () => {
  const t = await setup();
  try {
    assert.equal(await t.tokens.userStatus(DEFAULT_APP_ID, t.user.openId), "not_authorized");
    const req = await t.service.requestUserAuth(DEFAULT_APP_ID, t.user.openId, { via: "card" });
    const [msg] = t.sentTo(t.user.openId);
    assert.equal(msg.msgType, "interactive");
    assert.ok(JSON.stringify(msg.parsed).includes("需要你的授权"));
    const url = buttonUrl(msg.parsed);
    assert.equal(url, req.authorizeUrl);
    assert.ok(new URL(url).searchParams.get("scope")!.split(" ").includes("offline_access"));
    const page = await fetch(t.approve(url));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /授权成功/);
    assert.equal(await t.tokens.userStatus(DEFAULT_APP_ID, t.user.openId), "authorized");
    assert.equal(t.store.get(req.sessionId)!.status, "completed");
    // The state is single use.
    const again = await fetch(t.approve(url));
    assert.equal(again.status, 400);
    assert.match(await again.text(), /已使用过/);
  } finally {
    await t.close();
  }
});

Deno.test("user auth by link: text message with the link; another user opening it is refused, nothing saved", async () => {
  const t = await setup();
  try {
    const req = await t.service.requestUserAuth(DEFAULT_APP_ID, t.user.openId, { via: "link" });
    const [msg] = t.sentTo(t.user.openId);
    assert.equal(msg.msgType, "text");
    assert.ok((msg.parsed as { text: string }).text.includes(req.authorizeUrl));
    const other = t.family.directory.users[1];
    const wrong = await fetch(t.approve(req.authorizeUrl, other.openId));
    assert.equal(wrong.status, 400, "refused, not a gateway failure");
    assert.match(await wrong.text(), /不一致/);
    assert.equal(await t.tokens.userStatus(DEFAULT_APP_ID, other.openId), "not_authorized");
    assert.equal(t.store.get(req.sessionId)!.status, "failed");

    const req2 = await t.service.requestUserAuth(DEFAULT_APP_ID, t.user.openId, { via: "link" });
    const ok = await fetch(t.approve(req2.authorizeUrl));
    assert.equal(ok.status, 200);
    assert.equal(await t.tokens.userStatus(DEFAULT_APP_ID, t.user.openId), "authorized");
  } finally {
    await t.close();
  }
});

Deno.test("user auth: an expired session is cleaned up, the user told to start again, and re-prompted", async () => {
  const t = await setup();
  try {
    const req = await t.service.requestUserAuth(DEFAULT_APP_ID, t.user.openId, { via: "card" });
    await t.clock.tick(9 * 60_000);
    assert.equal((await t.service.sweepExpired()).expired.length, 0, "not yet expired at 9 min");
    await t.clock.tick(60_001);
    const swept = await t.service.sweepExpired();
    assert.deepEqual(swept.expired.map((s) => s.id), [req.sessionId]);
    assert.equal(t.store.get(req.sessionId)!.status, "expired");
    const notice = t.sentTo(t.user.openId).at(-1)!;
    assert.equal(notice.msgType, "text");
    assert.match((notice.parsed as { text: string }).text, /已过期.*重新发起/);
    // The old link now answers "expired" and stores nothing.
    const late = await fetch(t.approve(req.authorizeUrl));
    assert.equal(late.status, 400);
    assert.match(await late.text(), /已过期|已使用过/);
    assert.equal(await t.tokens.userStatus(DEFAULT_APP_ID, t.user.openId), "not_authorized");

    // Re-prompt: a new session and a new card; it works.
    const req2 = await t.service.requestUserAuth(DEFAULT_APP_ID, t.user.openId, { via: "card" });
    await t.clock.tick(11 * 60_000);
    const reprompted = await t.service.sweepExpired({ reprompt: true });
    assert.equal(reprompted.reprompted.length, 1);
    assert.notEqual(reprompted.reprompted[0], req2.sessionId);
    const card = t.sentTo(t.user.openId).at(-1)!;
    assert.equal(card.msgType, "interactive");
    const page = await fetch(t.approve(buttonUrl(card.parsed)));
    assert.equal(page.status, 200);
    assert.equal(await t.tokens.userStatus(DEFAULT_APP_ID, t.user.openId), "authorized");
    assert.equal(t.store.list(DEFAULT_APP_ID, t.user.openId)[0].status, "completed");
  } finally {
    await t.close();
  }
});

Deno.test("user auth: unknown app and bad input are refused before any message", async () => {
  const t = await setup();
  try {
    await assert.rejects(() => t.service.requestUserAuth("cli_unknown00000", t.user.openId), /unknown app/);
    await assert.rejects(() => t.service.requestUserAuth(DEFAULT_APP_ID, ""), /bad user id/);
    assert.equal(t.family.sentMessages.length, 0);
  } finally {
    await t.close();
  }
});
