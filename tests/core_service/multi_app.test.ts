/**
 * The core serves every app of its registry, not only the configured one:
 * user authorization for app B is sent by B (B's tenant token) and stores
 * B's user tokens; a click on B's card is updated with B's token; a
 * disabled app is refused before any request.
 */
import assert from "node:assert/strict";
import { PatchCardUpdater } from "../../lib/callback/mod.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { AppDisabledError } from "../../lib/registry/mod.ts";
import { waitFor } from "../../lib/testing/mod.ts";
import { APP_A, APP_B, startTwoAppCore } from "./_core_app.ts";

Deno.test("core, two apps: requestUserAuth(B) is sent by B and stores the tokens under B", async () => {
  const t = await startTwoAppCore();
  try {
    const user = t.user;
    const req = await t.core.userAuth.requestUserAuth(APP_B.appId, user.openId, { via: "card" });
    const sent = t.family.sentMessages.find((m) => m.messageId === req.messageId);
    assert.ok(sent, "the card reached the sandbox");
    assert.equal(sent.appId, APP_B.appId, "sent with B's tenant token");
    assert.equal(sent.msgType, "interactive");
    assert.equal(new URL(req.authorizeUrl).searchParams.get("client_id"), APP_B.appId);

    const page = await fetch(t.approve(req.authorizeUrl, user.openId));
    assert.equal(page.status, 200, await page.clone().text());
    assert.match(await page.text(), /授权成功/);
    assert.equal(await t.core.tokens.userStatus(APP_B.appId, user.openId), "authorized");
    assert.equal(await t.core.tokens.userStatus(APP_A.appId, user.openId), "not_authorized");

    // The configured app still sends as itself.
    const a = await t.core.userAuth.requestUserAuth(APP_A.appId, user.openId, { via: "link" });
    assert.equal(t.family.sentMessages.find((m) => m.messageId === a.messageId)?.appId, APP_A.appId);
    // One cached client per app.
    assert.strictEqual(t.core.clients.http(APP_B.appId), t.core.clients.http(APP_B.appId));
    assert.notStrictEqual(t.core.clients.http(APP_A.appId), t.core.clients.http(APP_B.appId));
  } finally {
    await t.close();
  }
});

Deno.test("core, two apps: a click on B's card is handled and the card updated with B's token", async () => {
  const t = await startTwoAppCore();
  try {
    const idB = t.seedCard(APP_B.appId);
    const idA = t.seedCard(APP_A.appId);
    assert.equal((await t.click(APP_B.appId, idB)).status, 200);
    assert.equal((await t.click(APP_A.appId, idA)).status, 200);
    const card = (id: string) => JSON.stringify(t.cards.messages.get(id)!.card);
    // The sandbox refuses a card update with another app's token (the card's sender must patch it).
    await waitFor(() => card(idB).includes("已通过") && card(idA).includes("已通过"), {
      timeoutMs: 20_000,
      what: "both cards approved",
    });
    assert.equal(t.cards.messages.get(idB)!.updates, 1, "B's card updated once");
    // The control: the sandbox refuses B's card an update made with A's token.
    const updater = new PatchCardUpdater((appId) => t.core.clients.http(appId));
    await assert.rejects(updater.update(APP_A.appId, idB, { schema: "2.0", body: { elements: [] } }));
    assert.equal(t.cards.messages.get(idB)!.updates, 1);
  } finally {
    await t.close();
  }
});

Deno.test("core, two apps: a disabled app is refused with AppDisabledError and nothing is sent", async () => {
  const t = await startTwoAppCore();
  try {
    const user = t.user;
    await t.core.clients.messages(APP_B.appId).sendText("open_id", user.openId, "启用中");
    assert.equal((await t.admin(`/admin/apps/${APP_B.appId}/disable`, { method: "POST" })).status, 200);
    // The registry's change counter is polled once a second.
    await waitFor(
      () => t.core.tokens.tenantAuth(APP_B.appId).headers().then(() => undefined, (e) => e),
      { timeoutMs: 10_000, what: "app B refused" },
    );
    const before = t.family.sentMessages.length;
    const refused = await t.core.userAuth.requestUserAuth(APP_B.appId, user.openId, { via: "link" })
      .then(() => undefined, (e) => e);
    assert.ok(refused instanceof AppDisabledError, String(refused));
    const late = await t.core.clients.messages(APP_B.appId).sendText("open_id", user.openId, "停用后")
      .then(() => undefined, (e) => e);
    assert.ok(late instanceof AppDisabledError, String(late));
    assert.equal(t.family.sentMessages.length, before, "no message sent for the disabled app");

    // Removed: its cached client is refused too (the registry no longer knows the app).
    assert.equal((await t.admin(`/admin/apps/${APP_B.appId}`, { method: "DELETE" })).status, 200);
    const gone = await waitFor(
      () =>
        t.core.clients.messages(APP_B.appId).sendText("open_id", user.openId, "移除后").then(
          () => "sent",
          (e) => e instanceof AppDisabledError ? undefined : e,
        ),
      { timeoutMs: 10_000, what: "app B refused as unknown" },
    );
    assert.ok(gone instanceof ConfigError && !(gone instanceof AppDisabledError), String(gone));
    assert.match(gone.hint, /cli_b0b1b2b3b4b5b6b7/);
    assert.equal(t.family.sentMessages.length, before, "no message sent for the removed app");
  } finally {
    await t.close();
  }
});
