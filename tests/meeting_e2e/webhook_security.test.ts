/**
 * Encrypted and signed webhook delivery: a wrong `X-Lark-Signature` is
 * refused with 401 (nothing stored, no job) while the right one is stored and
 * becomes a job; the encrypted URL-verification challenge is answered; an
 * unsigned, a non-JSON and an oversized body are refused.
 */
import assert from "node:assert/strict";
import { buildWebhookRequest, eventSignature } from "../../sandbox/scenarios/meeting/mod.ts";
import { jobOf, until, withHarness } from "./_harness.ts";

const KEY = "e2e-encrypt-key";

Deno.test("e2e: encrypted + signed webhook — a wrong signature is refused (401), the right one works", async () => {
  await withHarness({ meeting: { encryptKey: KEY } }, async (h) => {
    assert.equal(h.config.app.encrypt_key, KEY);
    const zhang = h.family.directory.users[0];

    const forged = await h.family.endMeeting({
      topic: "伪造",
      owner_user_id: zhang.userId,
      corrupt_signature: true,
    });
    await h.family.whenDelivered();
    const refused = h.family.deliveries.find((d) => d.eventId === forged.event_id)!;
    assert.equal(refused.status, "failed");
    assert.equal(refused.attempts[0].httpStatus, 401);
    assert.equal(await h.service.events.get(forged.event_id), undefined, "a forged event is never stored");

    const real = await h.family.endMeeting({ topic: "真实", owner_user_id: zhang.userId });
    await h.family.whenDelivered();
    const delivered = h.family.deliveries.find((d) => d.eventId === real.event_id)!;
    assert.equal(delivered.status, "delivered");
    assert.equal(delivered.attempts[0].httpStatus, 200);
    const job = await until(() => jobOf(h, String(real.meeting.id)), "job of the signed event");
    assert.equal(job.topic, "真实");
    assert.equal(jobOf(h, String(forged.meeting.id)), undefined);

    const challenge = await h.family.sendUrlVerification({ challenge: "e2e-challenge" });
    assert.equal(challenge.ok, true, "the encrypted challenge is echoed");

    const url = `${h.serviceUrl}/webhook/event`;
    const signed = await buildWebhookRequest(JSON.stringify({ hello: 1 }), {
      encryptKey: KEY,
      timestampSec: Math.floor(Date.now() / 1000),
    });
    const unsigned = { ...signed.headers };
    delete unsigned["x-lark-signature"];
    const noSig = await fetch(url, { method: "POST", headers: unsigned, body: signed.body });
    assert.equal(noSig.status, 401, "unsigned while an encrypt key is set");
    await noSig.body?.cancel();
    const wrong = await fetch(url, {
      method: "POST",
      headers: { ...signed.headers, "x-lark-signature": "0".repeat(64) },
      body: signed.body,
    });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const body = "{not json";
    const ts = String(Math.floor(Date.now() / 1000));
    const notJson = await fetch(url, {
      method: "POST",
      headers: {
        "x-lark-request-timestamp": ts,
        "x-lark-request-nonce": "n1",
        "x-lark-signature": await eventSignature(ts, "n1", KEY, body),
      },
      body,
    });
    assert.equal(notJson.status, 400, "correctly signed, but not JSON");
    await notJson.body?.cancel();
    const big = await fetch(url, { method: "POST", body: "x".repeat(1_100_000) });
    assert.equal(big.status, 413);
    await big.body?.cancel();
  });
});
