import assert from "node:assert/strict";
import {
  decodeFrame,
  decryptEvent,
  encodeFrame,
  encryptEvent,
  eventSignature,
  FRAME_CONTROL,
  FRAME_DATA,
  frameHeader,
  mediaBytes,
  parseRange,
  sha256Hex,
} from "../../sandbox/scenarios/meeting/mod.ts";

Deno.test("meeting crypto: the official AES test vector decrypts to hello world", async () => {
  assert.equal(await decryptEvent("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="), "hello world");
});

Deno.test("meeting crypto: encrypt → base64(iv ‖ AES-256-CBC) with a fresh IV, decrypts back", async () => {
  const text = JSON.stringify({ schema: "2.0", header: { event_id: "x" }, event: { topic: "周会" } });
  const a = await encryptEvent("test key", text);
  const b = await encryptEvent("test key", text);
  assert.notEqual(a, b, "random IV per encryption");
  assert.equal((atob(a).length - 16) % 16, 0);
  assert.equal(await decryptEvent("test key", a), text);
  await assert.rejects(() => decryptEvent("other key", a));
  await assert.rejects(() => decryptEvent("test key", "not base64!"), SyntaxError);
});

Deno.test("meeting crypto: signature is hex sha256(timestamp + nonce + key + body)", async () => {
  const sig = await eventSignature("1700000000", "nonce", "key", '{"encrypt":"x"}');
  assert.equal(sig, await sha256Hex('1700000000noncekey{"encrypt":"x"}'));
  assert.match(sig, /^[0-9a-f]{64}$/);
  // Known SHA-256 value, computed independently: sha256("abc").
  assert.equal(await sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

Deno.test("pbbp2: a ping frame encodes to the expected protobuf bytes and decodes back", () => {
  const bytes = encodeFrame({
    SeqID: 1n,
    LogID: 2n,
    service: 3,
    method: FRAME_CONTROL,
    headers: [{ key: "type", value: "ping" }],
  });
  const expected = [0x08, 1, 0x10, 2, 0x18, 3, 0x20, 0, 0x2a, 12, 0x0a, 4, ..."type", 0x12, 4, ..."ping"]
    .map((x) => typeof x === "string" ? x.charCodeAt(0) : x);
  assert.deepEqual([...bytes], expected);
  const back = decodeFrame(bytes);
  assert.equal(back.SeqID, 1n);
  assert.equal(back.service, 3);
  assert.equal(frameHeader(back, "type"), "ping");
  assert.equal(back.payload, undefined);
});

Deno.test("pbbp2: big uint64s, negative int32, all string fields and payload round-trip", () => {
  const payload = new TextEncoder().encode('{"code":200}');
  const frame = {
    SeqID: 18446744073709551615n,
    LogID: 9007199254740993n,
    service: -5,
    method: FRAME_DATA,
    headers: [{ key: "type", value: "event" }, { key: "trace_id", value: "中文" }],
    payloadEncoding: "gzip",
    payloadType: "json",
    payload,
    LogIDNew: "log-1",
  };
  const back = decodeFrame(encodeFrame(frame));
  assert.deepEqual(back, frame);
  assert.throws(() => decodeFrame(Uint8Array.from([0x08])), SyntaxError);
  assert.throws(() => decodeFrame(Uint8Array.from([0x2a, 10, 1])), SyntaxError);
});

Deno.test("media bytes: mp4 header, deterministic per token, Range parsing", () => {
  const head = mediaBytes("obcnaaaaaaaaaaaaaaaaaaaa", 1000, 0, 48);
  assert.equal(new TextDecoder().decode(head.subarray(4, 12)), "ftypisom");
  assert.equal(new TextDecoder().decode(head.subarray(28, 32)), "mdat");
  assert.equal(new DataView(head.buffer).getBigUint64(32), 976n);
  assert.deepEqual(
    mediaBytes("obcnaaaaaaaaaaaaaaaaaaaa", 1000, 500, 520),
    mediaBytes("obcnaaaaaaaaaaaaaaaaaaaa", 1000, 500, 520),
  );
  assert.notDeepEqual(
    mediaBytes("obcnaaaaaaaaaaaaaaaaaaaa", 1000, 500, 520),
    mediaBytes("obcnbbbbbbbbbbbbbbbbbbbb", 1000, 500, 520),
  );
  assert.deepEqual(parseRange("bytes=0-99", 1000), { start: 0, end: 100 });
  assert.deepEqual(parseRange("bytes=900-", 1000), { start: 900, end: 1000 });
  assert.deepEqual(parseRange("bytes=-10", 1000), { start: 990, end: 1000 });
  assert.deepEqual(parseRange("bytes=990-5000", 1000), { start: 990, end: 1000 });
  assert.equal(parseRange("bytes=1000-", 1000), "unsatisfiable");
  assert.equal(parseRange("bytes=-0", 1000), "unsatisfiable");
  assert.equal(parseRange("bytes=0-1,5-6", 1000), undefined);
  assert.equal(parseRange("items=0-1", 1000), undefined);
  assert.equal(parseRange(undefined, 1000), undefined);
});
