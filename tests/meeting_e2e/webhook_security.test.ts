/**
 * Encrypted and signed webhook delivery: a wrong `X-Lark-Signature` is
 * refused with 401 (nothing stored, no job) while the right one is stored and
 * becomes a job; the encrypted URL-verification challenge is answered; an
 * unsigned, a non-JSON and an oversized body are refused. Signed requests
 * must be fresh (issue 7 §2): a timestamp from 2001, 10 minutes old or empty
 * is refused, a nonce only once; a redelivery (new nonce) still passes.
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

Deno.test("e2e: signed requests — stale/missing timestamps and reused nonces are refused; a redelivery passes", async () => {
  await withHarness({ meeting: { encryptKey: KEY } }, async (h) => {
    const url = `${h.serviceUrl}/webhook/event`;
    const challenge = JSON.stringify({
      challenge: "c-1",
      token: h.family.options.verificationToken,
      type: "url_verification",
    });
    const send = (r: { body: string; headers: Record<string, string> }) =>
      fetch(url, { method: "POST", headers: r.headers, body: r.body }).then(async (res) => {
        await res.body?.cancel();
        return res.status;
      });
    const now = Math.floor(Date.now() / 1000);

    const y2001 = await buildWebhookRequest(challenge, { encryptKey: KEY, timestampSec: 978_307_200 });
    assert.equal(await send(y2001), 401, "correctly signed, but from 2001");
    const old = await buildWebhookRequest(challenge, { encryptKey: KEY, timestampSec: now - 600 });
    assert.equal(await send(old), 401, "10 minutes old");
    const body = JSON.stringify({ encrypt: "x" });
    const empty = {
      body,
      headers: {
        "x-lark-request-timestamp": "",
        "x-lark-request-nonce": "n-empty",
        "x-lark-signature": await eventSignature("", "n-empty", KEY, body),
      },
    };
    assert.equal(await send(empty), 401, "signed over an empty timestamp");

    const fresh = await buildWebhookRequest(challenge, { encryptKey: KEY, timestampSec: now - 30 });
    assert.equal(await send(fresh), 200, "30 s old: inside the window");
    assert.equal(await send(fresh), 401, "the same request again: nonce already used");

    // Feishu redelivering an event signs it again with a new nonce: accepted, then de-duplicated by event_id.
    const zhang = h.family.directory.users[0];
    const ended = await h.family.endMeeting({ topic: "重投", owner_user_id: zhang.userId, duplicate: true });
    await h.family.whenDelivered();
    const both = h.family.deliveries.filter((d) => d.eventId === ended.event_id);
    assert.equal(both.length, 2);
    for (const d of both) assert.equal(d.attempts.at(-1)?.httpStatus, 200);
    const stale = h.logs.records.filter((r) =>
      r.event === "event.rejected" && /stale|replayed|missing/.test(JSON.stringify(r))
    );
    assert.equal(stale.length, 4, "each refusal logged with its reason");
  });
});
