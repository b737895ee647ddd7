import assert from "node:assert/strict";
import { epochMs, EventRejectedError, parseEvent } from "../../lib/events/mod.ts";
import { encryptEvent } from "../../lib/testing/mod.ts";
import { ENCRYPT_KEY, meetingEndedEnvelope, VERIFICATION_TOKEN } from "./_fixtures.ts";

function rejects(p: Promise<unknown>, reason: string) {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof EventRejectedError, String(e));
    assert.equal(e.reason, reason);
    return true;
  });
}

Deno.test("parseEvent: v2 envelope", async () => {
  const parsed = await parseEvent(meetingEndedEnvelope("ev-1"), { verificationToken: VERIFICATION_TOKEN });
  assert.equal(parsed.type, "event");
  if (parsed.type !== "event") return;
  assert.equal(parsed.event.schema, "2.0");
  assert.equal(parsed.event.eventId, "ev-1");
  assert.equal(parsed.event.eventType, "vc.meeting.all_meeting_ended_v1");
  assert.equal(parsed.event.createTimeMs, 1768788000123);
  assert.equal(parsed.event.appId, "cli_a1b2c3d4e5f60718");
  assert.equal(parsed.event.tenantKey, "tenant-1");
  assert.equal((parsed.event.event.meeting as { topic: string }).topic, "周会");
});

Deno.test("parseEvent: encrypted v2 envelope is decrypted first", async () => {
  const encrypted = {
    encrypt: await encryptEvent(JSON.stringify(meetingEndedEnvelope("ev-2")), ENCRYPT_KEY),
  };
  const parsed = await parseEvent(encrypted, {
    encryptKey: ENCRYPT_KEY,
    verificationToken: VERIFICATION_TOKEN,
  });
  assert.equal(parsed.type === "event" && parsed.event.eventId, "ev-2");
  await rejects(parseEvent(encrypted, {}), "decrypt_failed");
  await rejects(parseEvent(encrypted, { encryptKey: "another key" }), "decrypt_failed");
});

Deno.test("parseEvent: v1 fallback uses uuid and event.type", async () => {
  const v1 = {
    ts: "1502199207.7171419",
    uuid: "bc447199585340d1f3728d26b1c0297a",
    token: VERIFICATION_TOKEN,
    type: "event_callback",
    event: { type: "message", app_id: "cli_x", tenant_key: "t1", text: "hi" },
  };
  const parsed = await parseEvent(v1, { verificationToken: VERIFICATION_TOKEN });
  assert.ok(parsed.type === "event");
  assert.equal(parsed.event.schema, "1.0");
  assert.equal(parsed.event.eventId, "bc447199585340d1f3728d26b1c0297a");
  assert.equal(parsed.event.eventType, "message");
  assert.equal(parsed.event.createTimeMs, 1502199207717);
  assert.equal(parsed.event.tenantKey, "t1");
});

Deno.test("parseEvent: url_verification plain and encrypted", async () => {
  const plain = { challenge: "ajls384kdjx98XX", token: VERIFICATION_TOKEN, type: "url_verification" };
  assert.deepEqual(await parseEvent(plain, { verificationToken: VERIFICATION_TOKEN }), {
    type: "challenge",
    challenge: "ajls384kdjx98XX",
  });
  const enc = { encrypt: await encryptEvent(JSON.stringify(plain), ENCRYPT_KEY) };
  assert.deepEqual(
    await parseEvent(enc, { encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN }),
    {
      type: "challenge",
      challenge: "ajls384kdjx98XX",
    },
  );
  await rejects(
    parseEvent({ ...plain, token: "forged" }, { verificationToken: VERIFICATION_TOKEN }),
    "bad_token",
  );
});

Deno.test("parseEvent: verification token is checked on v2 and v1, skipped when not configured", async () => {
  await rejects(
    parseEvent(meetingEndedEnvelope("e", "forged"), { verificationToken: VERIFICATION_TOKEN }),
    "bad_token",
  );
  const noToken = meetingEndedEnvelope("e");
  delete (noToken.header as Record<string, unknown>).token;
  await rejects(parseEvent(noToken, { verificationToken: VERIFICATION_TOKEN }), "bad_token");
  const parsed = await parseEvent(meetingEndedEnvelope("e", "anything"), {});
  assert.equal(parsed.type, "event");
});

Deno.test("parseEvent: unknown shapes are bad_envelope", async () => {
  await rejects(parseEvent([1, 2], {}), "bad_envelope");
  await rejects(parseEvent({ hello: "world" }, {}), "bad_envelope");
  await rejects(parseEvent({ schema: "2.0", header: { event_type: "x" } }, {}), "bad_envelope");
  await rejects(parseEvent({ type: "url_verification" }, {}), "bad_envelope");
});

Deno.test("epochMs normalises s, ms and µs by digit count", () => {
  assert.equal(epochMs("1768788000"), 1768788000000);
  assert.equal(epochMs("1768788000123"), 1768788000123);
  assert.equal(epochMs("1768788000123456"), 1768788000123);
  assert.equal(epochMs(1768788000123), 1768788000123);
  assert.equal(epochMs("1502199207.7171419"), 1502199207717);
  assert.equal(epochMs("soon"), undefined);
  assert.equal(epochMs(undefined), undefined);
});
