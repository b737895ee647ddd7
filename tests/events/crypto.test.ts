import assert from "node:assert/strict";
import { computeSignature, decryptEvent, EventRejectedError, verifySignature } from "../../lib/events/mod.ts";
import { encryptEvent } from "../../lib/testing/mod.ts";

Deno.test("decryptEvent: the official test vector", async () => {
  assert.equal(await decryptEvent("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=", "test key"), "hello world");
});

Deno.test("encryptEvent/decryptEvent round trip, random IV each time", async () => {
  const text = JSON.stringify({ schema: "2.0", header: { event_id: "e1" }, event: { topic: "周会 ✓" } });
  const a = await encryptEvent(text, "k1");
  const b = await encryptEvent(text, "k1");
  assert.notEqual(a, b);
  assert.equal(await decryptEvent(a, "k1"), text);
  assert.equal(await decryptEvent(b, "k1"), text);
});

Deno.test("encryptEvent with a fixed IV matches an independent WebCrypto encryption", async () => {
  const iv = new Uint8Array(16).map((_, i) => i);
  const raw = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("test key"));
  const key = await crypto.subtle.importKey("raw", raw, "AES-CBC", false, ["encrypt"]);
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-CBC", iv }, key, new TextEncoder().encode("hi")),
  );
  const expected = new Uint8Array([...iv, ...ct]).toBase64();
  assert.equal(await encryptEvent("hi", "test key", iv), expected);
});

Deno.test("decryptEvent: wrong key, bad base64 and short blobs are decrypt_failed", async () => {
  // Fixed IV: with a random one, a wrong key yields valid-looking padding about 1 time in 256.
  const blob = await encryptEvent('{"a":1}', "right", new Uint8Array(16).fill(7));
  for (const [input, key] of [[blob, "wrong"], ["%%%not base64%%%", "k"], ["AAAA", "k"]]) {
    await assert.rejects(decryptEvent(input, key), (e: unknown) => {
      assert.ok(e instanceof EventRejectedError);
      assert.equal(e.reason, "decrypt_failed");
      assert.match(e.hint, /Encrypt Key|APP_ENCRYPT_KEY/);
      return true;
    });
  }
});

Deno.test("computeSignature is hex SHA-256 of timestamp+nonce+key+body", async () => {
  const input = { timestamp: "1700000000", nonce: "abc", encryptKey: "key", rawBody: '{"encrypt":"x"}' };
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(input.timestamp + input.nonce + input.encryptKey + input.rawBody),
  );
  assert.equal(computeSignature(input), new Uint8Array(digest).toHex());
  // Bytes and text give the same result.
  assert.equal(
    computeSignature({ ...input, rawBody: new TextEncoder().encode(input.rawBody) }),
    computeSignature(input),
  );
});

Deno.test("verifySignature accepts the right signature (any hex case) and refuses any change", () => {
  const input = { timestamp: "1700000000", nonce: "n-1", encryptKey: "key", rawBody: '{"encrypt":"abc"}' };
  const signature = computeSignature(input);
  assert.equal(verifySignature({ ...input, signature }), true);
  assert.equal(verifySignature({ ...input, signature: signature.toUpperCase() }), true);
  assert.equal(verifySignature({ ...input, signature: "" }), false);
  assert.equal(verifySignature({ ...input, signature: signature.slice(0, -1) }), false);
  assert.equal(verifySignature({ ...input, rawBody: '{"encrypt":"abd"}', signature }), false);
  assert.equal(verifySignature({ ...input, nonce: "n-2", signature }), false);
  assert.equal(verifySignature({ ...input, timestamp: "1700000001", signature }), false);
  assert.equal(verifySignature({ ...input, encryptKey: "other", signature }), false);
  // Re-serialised JSON (spaces) is a different body.
  assert.equal(verifySignature({ ...input, rawBody: '{"encrypt": "abc"}', signature }), false);
});
