import assert from "node:assert/strict";
import {
  computeSignature,
  type EventSink,
  handleWebhook,
  type LarkEvent,
  SqliteEventStore,
  type WebhookOptions,
} from "../../lib/events/mod.ts";
import { encryptEvent } from "../../lib/testing/mod.ts";
import { createLogger, MemorySink } from "../../lib/log/mod.ts";
import { ENCRYPT_KEY, meetingEndedEnvelope, signedEncrypted, VERIFICATION_TOKEN } from "./_fixtures.ts";

/** Serve `handleWebhook` on 127.0.0.1:0 and run `fn` with its URL. */
async function withWebhook(
  options: WebhookOptions,
  fn: (url: string) => Promise<void>,
): Promise<void> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => handleWebhook(req, options),
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/webhook/event`);
  } finally {
    await server.shutdown();
  }
}

async function post(url: string, body: BodyInit, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

function secured(store: EventSink, extra: Partial<WebhookOptions> = {}): WebhookOptions {
  return { store, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, ...extra };
}

Deno.test("webhook: plain and encrypted url_verification echo the challenge", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    await withWebhook(secured(store), async (url) => {
      const challenge = { challenge: "c-123", token: VERIFICATION_TOKEN, type: "url_verification" };
      const plain = await post(url, JSON.stringify(challenge));
      assert.equal(plain.status, 200);
      assert.deepEqual(plain.json, { challenge: "c-123" });
      const enc = await post(
        url,
        JSON.stringify({ encrypt: await encryptEvent(JSON.stringify(challenge), ENCRYPT_KEY) }),
      );
      assert.deepEqual(enc.json, { challenge: "c-123" });
      const forged = await post(url, JSON.stringify({ ...challenge, token: "nope" }));
      assert.equal(forged.status, 401);
    });
    assert.deepEqual(await store.counts(), { pending: 0, processing: 0, done: 0, failed: 0 });
  } finally {
    store.close();
  }
});

Deno.test("webhook: a signed encrypted event is stored before 200 {}, a replay is acknowledged and ignored", async () => {
  const store = new SqliteEventStore(":memory:");
  const woken: string[] = [];
  const sink = new MemorySink();
  try {
    await withWebhook(
      secured(store, { onStored: (e) => woken.push(e.eventId), logger: createLogger({ sinks: [sink] }) }),
      async (url) => {
        const req = await signedEncrypted(meetingEndedEnvelope("ev-100"));
        const first = await post(url, req.body, req.headers);
        assert.equal(first.status, 200);
        assert.deepEqual(first.json, {});
        const stored = await store.get("ev-100");
        assert.equal(stored?.state, "pending");
        assert.equal(stored?.event.eventType, "vc.meeting.all_meeting_ended_v1");
        // Feishu redelivers the same event (new nonce, new signature).
        const again = await signedEncrypted(meetingEndedEnvelope("ev-100"));
        const second = await post(url, again.body, again.headers);
        assert.equal(second.status, 200);
        assert.equal((await store.get("ev-100"))?.deliveries, 2);
        assert.equal((await store.counts()).pending, 1);
      },
    );
    assert.deepEqual(woken, ["ev-100"]);
    const events = sink.records.map((r) => r.event);
    assert.deepEqual(events, ["event.stored", "event.replay_ignored"]);
    const logged = JSON.stringify(sink.records);
    assert.ok(!logged.includes(ENCRYPT_KEY) && !logged.includes("周会"), "no secrets or payload in logs");
  } finally {
    store.close();
  }
});

Deno.test("webhook: forged, missing and tampered signatures are 401 and nothing is stored", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    await withWebhook(secured(store), async (url) => {
      const good = await signedEncrypted(meetingEndedEnvelope("ev-x"));
      const forged = await post(url, good.body, { ...good.headers, "x-lark-signature": "0".repeat(64) });
      assert.equal(forged.status, 401);
      assert.deepEqual(forged.json, { error: "bad_signature" });
      const tampered = await post(url, good.body.replace(/.$/, " }"), good.headers);
      assert.equal(tampered.status, 401);
      const wrongKey = await signedEncrypted(meetingEndedEnvelope("ev-x"), "attacker key");
      assert.equal((await post(url, wrongKey.body, wrongKey.headers)).status, 401);
      const unsigned = await post(url, good.body);
      assert.equal(unsigned.status, 401);
      assert.deepEqual(unsigned.json, { error: "missing_signature" });
    });
    assert.equal(await store.get("ev-x"), undefined);
  } finally {
    store.close();
  }
});

Deno.test("webhook: bad JSON is 400, wrong token 401, GET 405", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    await withWebhook({ store, verificationToken: VERIFICATION_TOKEN }, async (url) => {
      assert.equal((await post(url, "{not json")).status, 400);
      assert.equal((await post(url, "")).status, 400);
      assert.equal((await post(url, JSON.stringify(meetingEndedEnvelope("t", "forged")))).status, 401);
      assert.equal((await post(url, JSON.stringify({ hello: 1 }))).status, 400);
      const get = await fetch(url);
      await get.body?.cancel();
      assert.equal(get.status, 405);
      // Without an Encrypt Key, a plaintext event with the right token is accepted.
      assert.equal((await post(url, JSON.stringify(meetingEndedEnvelope("plain-1")))).status, 200);
    });
    assert.equal((await store.get("plain-1"))?.state, "pending");
    assert.equal(await store.get("t"), undefined);
  } finally {
    store.close();
  }
});

Deno.test("webhook: bodies over 1 MB are 413, with or without Content-Length", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    await withWebhook(secured(store), async (url) => {
      const big = JSON.stringify({ encrypt: "A".repeat(1_048_577) });
      const declared = await post(url, big);
      assert.equal(declared.status, 413);
      // Chunked upload (no Content-Length): refused once the stream passes the cap.
      const chunk = new TextEncoder().encode("A".repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent++ < 40) c.enqueue(chunk);
          else c.close();
        },
      });
      const res = await fetch(url, { method: "POST", body: stream });
      await res.body?.cancel();
      assert.equal(res.status, 413);
      // Just under the cap is read normally (then refused for its content, not its size).
      const under = JSON.stringify({ pad: "A".repeat(1_000_000) });
      assert.deepEqual((await post(url, under)).json, { error: "bad_envelope" });
    });
  } finally {
    store.close();
  }
});

Deno.test("webhook: a store failure answers 500 so Feishu delivers again", async () => {
  let fail = true;
  const store = new SqliteEventStore(":memory:");
  const flaky: EventSink = {
    insert: (e, source) => fail ? Promise.reject(new Error("disk full")) : store.insert(e, source),
  };
  try {
    await withWebhook(secured(flaky), async (url) => {
      const req = await signedEncrypted(meetingEndedEnvelope("ev-500"));
      const res = await post(url, req.body, req.headers);
      assert.equal(res.status, 500);
      assert.deepEqual(res.json, { error: "store_failed" });
      // The same signed request again (same nonce) is a redelivery, not a replay: its nonce was released.
      fail = false;
      assert.equal((await post(url, req.body, req.headers)).status, 200);
      assert.equal((await post(url, req.body, req.headers)).status, 401, "once accepted, the nonce is spent");
    });
    assert.ok(await store.get("ev-500"));
  } finally {
    store.close();
  }
});

Deno.test("webhook: a replay after a restart (new store handle, same file) is still ignored", async () => {
  const dir = await Deno.makeTempDir({ prefix: "webhook-" });
  const path = `${dir}/events.db`;
  try {
    const seen: LarkEvent[] = [];
    for (let run = 0; run < 2; run++) {
      const store = new SqliteEventStore(path);
      await withWebhook(secured(store, { onStored: (e) => seen.push(e) }), async (url) => {
        const req = await signedEncrypted(meetingEndedEnvelope("ev-restart"));
        assert.equal((await post(url, req.body, req.headers)).status, 200);
      });
      store.close();
    }
    assert.equal(seen.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("webhook: the signature covers the exact raw bytes", async () => {
  const store = new SqliteEventStore(":memory:");
  try {
    await withWebhook(secured(store), async (url) => {
      const inner = JSON.stringify(meetingEndedEnvelope("ev-raw"));
      // Unusual but valid JSON formatting: a re-serialising verifier would compute another signature.
      const body = `{ "encrypt" :  "${await encryptEvent(inner, ENCRYPT_KEY)}" }\n`;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = "nonce-raw";
      const signature = computeSignature({ timestamp, nonce, encryptKey: ENCRYPT_KEY, rawBody: body });
      const res = await post(url, body, {
        "x-lark-request-timestamp": timestamp,
        "x-lark-request-nonce": nonce,
        "x-lark-signature": signature,
      });
      assert.equal(res.status, 200);
    });
    assert.ok(await store.get("ev-raw"));
  } finally {
    store.close();
  }
});
