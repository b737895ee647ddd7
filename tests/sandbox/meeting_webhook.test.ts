import assert from "node:assert/strict";
import { meetingFamily, sha256Hex } from "../../sandbox/scenarios/meeting/mod.ts";
import type { SandboxOptions } from "../../sandbox/mod.ts";
import { call, postJson, withSandbox } from "./_helpers.ts";

interface Received {
  headers: Headers;
  body: string;
}

type Responder = (n: number, body: string) => Response | Promise<Response>;

/** A webhook receiver on 127.0.0.1:0 answering with `respond` (request number from 0). */
async function withReceiver(respond: Responder, fn: (url: string, got: Received[]) => Promise<void>) {
  const got: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.text();
    got.push({ headers: req.headers, body });
    return await respond(got.length - 1, body);
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/webhook/event`, got);
  } finally {
    await server.shutdown();
  }
}

/** AES-256-CBC decryption written out here with WebCrypto, independent of the sandbox's code. */
async function decrypt(key: string, b64: string): Promise<string> {
  const raw = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  const k = await crypto.subtle.importKey("raw", raw, "AES-CBC", false, ["decrypt"]);
  const blob = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
  const plain = await crypto.subtle.decrypt({ name: "AES-CBC", iv: blob.slice(0, 16) }, k, blob.slice(16));
  return new TextDecoder().decode(plain);
}

const ok200 = () => new Response("ok");

function opts(webhookUrl: string, meeting: SandboxOptions["meeting"] = {}): SandboxOptions {
  return { meeting: { webhookUrl, recordingReadyAfterMs: 0, ...meeting } };
}

Deno.test("webhook: /__sandbox/meeting/end delivers a plaintext schema 2.0 meeting-ended event", async () => {
  await withReceiver(ok200, async (hook, got) => {
    await withSandbox(opts(hook), async ({ url, sandbox }) => {
      const family = meetingFamily(sandbox);
      const zhang = family.directory.users[0];
      assert.equal(zhang.name, "张三");
      const ended = await postJson(url + "/__sandbox/meeting/end", {
        topic: "周会",
        owner_user_id: zhang.userId,
        start_time: 1768788000,
        end_time: "1768791600",
      });
      assert.equal(ended.status, 200);
      assert.equal(ended.body.code, 0);
      await family.whenDelivered();
      assert.equal(got.length, 1);
      const h = got[0].headers;
      assert.match(h.get("x-lark-request-timestamp")!, /^\d{10}$/);
      assert.ok(h.get("x-lark-request-nonce"));
      assert.equal(h.get("x-lark-signature"), null, "no signature without an encrypt key");
      const event = JSON.parse(got[0].body);
      assert.equal(event.schema, "2.0");
      assert.equal(event.header.event_type, "vc.meeting.all_meeting_ended_v1");
      assert.equal(event.header.event_id, ended.body.data.event_id);
      assert.equal(event.header.token, "sandbox-verification-token");
      assert.equal(event.header.app_id, "cli_a1b2c3d4e5f60718");
      assert.match(event.header.create_time, /^\d{13}$/);
      const m = event.event.meeting;
      assert.equal(m.topic, "周会");
      assert.match(m.id, /^\d{19}$/);
      assert.match(m.meeting_no, /^\d{9}$/);
      assert.equal(m.start_time, "1768788000");
      assert.equal(m.end_time, "1768791600");
      assert.deepEqual(m.owner.id, { open_id: zhang.openId, union_id: zhang.unionId, user_id: zhang.userId });
      assert.deepEqual(m.host_user.id, m.owner.id);
      const [d] = family.deliveries;
      assert.equal(d.status, "delivered");
      assert.equal(d.channel, "webhook");
      assert.equal(d.attempts.length, 1);
      assert.equal(d.attempts[0].httpStatus, 200);
      const list = await call(url + "/__sandbox/meeting/deliveries?wait=1");
      assert.equal(list.body.data[0].status, "delivered");
      assert.equal(sandbox.journal.count(), 0, "control calls are not journaled");
    });
  });
});

Deno.test("webhook: encrypted body + X-Lark-Signature that a receiver can verify and decrypt", async () => {
  assert.equal(await decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="), "hello world");
  await withReceiver(ok200, async (hook, got) => {
    const meeting = { encryptKey: "test key", verificationToken: "vt-123" };
    await withSandbox(opts(hook, meeting), async ({ sandbox }) => {
      const family = meetingFamily(sandbox);
      const ended = await family.endMeeting({ topic: "加密" });
      await family.whenDelivered();
      const { headers, body } = got[0];
      const ts = headers.get("x-lark-request-timestamp")!;
      const nonce = headers.get("x-lark-request-nonce")!;
      assert.equal(headers.get("x-lark-signature"), await sha256Hex(ts + nonce + "test key" + body));
      const outer = JSON.parse(body);
      assert.deepEqual(Object.keys(outer), ["encrypt"]);
      const event = JSON.parse(await decrypt("test key", outer.encrypt));
      assert.equal(event.header.event_id, ended.event_id);
      assert.equal(event.header.token, "vt-123");
      assert.equal(event.event.meeting.topic, "加密");
    });
  });
});

Deno.test("webhook: corrupt_signature sends a signature that does not verify", async () => {
  await withReceiver(ok200, async (hook, got) => {
    await withSandbox(opts(hook, { encryptKey: "k" }), async ({ sandbox }) => {
      const family = meetingFamily(sandbox);
      await family.endMeeting({ corrupt_signature: true });
      await family.whenDelivered();
      const { headers, body } = got[0];
      const expected = await sha256Hex(
        headers.get("x-lark-request-timestamp")! + headers.get("x-lark-request-nonce")! + "k" + body,
      );
      assert.notEqual(headers.get("x-lark-signature"), expected);
    });
  });
});

Deno.test("webhook: non-200 is redelivered on the schedule with the same event_id", async () => {
  const respond: Responder = (n) => new Response("busy", { status: n === 0 ? 500 : 200 });
  await withReceiver(respond, async (hook, got) => {
    await withSandbox(opts(hook, { redeliveryScheduleMs: [30, 30] }), async ({ sandbox }) => {
      const family = meetingFamily(sandbox);
      await family.endMeeting();
      await family.whenDelivered();
      const [d] = family.deliveries;
      assert.equal(d.status, "delivered");
      assert.deepEqual(d.attempts.map((a) => a.httpStatus), [500, 200]);
      assert.equal(got.length, 2);
      assert.equal(JSON.parse(got[0].body).header.event_id, JSON.parse(got[1].body).header.event_id);
    });
  });
});

Deno.test("webhook: no answer within the window counts as a failure; schedule exhausted → failed", async () => {
  // The first answer is held until the test has seen the timeout, then released.
  const release = Promise.withResolvers<void>();
  const answered = Promise.withResolvers<void>();
  const slow: Responder = async (n) => {
    if (n === 0) {
      await release.promise;
      answered.resolve();
    }
    return new Response("late", { status: n === 0 ? 200 : 503 });
  };
  await withReceiver(slow, async (hook, got) => {
    const meeting = { answerTimeoutMs: 100, redeliveryScheduleMs: [20] };
    await withSandbox(opts(hook, meeting), async ({ sandbox }) => {
      const family = meetingFamily(sandbox);
      await family.endMeeting();
      await family.whenDelivered();
      const [d] = family.deliveries;
      assert.equal(d.status, "failed");
      assert.equal(d.attempts.length, 2);
      assert.equal(d.attempts[0].error, "timeout");
      assert.ok(d.attempts[0].ms >= 90, `gave up after ${d.attempts[0].ms} ms`);
      assert.equal(d.attempts[1].httpStatus, 503);
      assert.equal(got.length, 2);
      release.resolve(); // let the held first answer finish before the receiver shuts down
      await answered.promise;
    });
  });
});

Deno.test("webhook: duplicate delivers the same event twice, one after the other", async () => {
  await withReceiver(ok200, async (hook, got) => {
    await withSandbox(opts(hook), async ({ url, sandbox }) => {
      const ended = await postJson(url + "/__sandbox/meeting/end", { duplicate: true });
      assert.equal(ended.body.data.deliveries.length, 2);
      const family = meetingFamily(sandbox);
      await family.whenDelivered();
      assert.equal(got.length, 2);
      assert.deepEqual(got.map((g) => JSON.parse(g.body).header.event_id), [
        ended.body.data.event_id,
        ended.body.data.event_id,
      ]);
      assert.equal(family.deliveries[1].duplicateOf, family.deliveries[0].id);
      assert.ok(family.deliveries.every((d) => d.status === "delivered"));
    });
  });
});

Deno.test("webhook: a URL configured later is used by the next redelivery", async () => {
  await withReceiver(ok200, async (hook, got) => {
    await withSandbox({ meeting: { redeliveryScheduleMs: [50] } }, async ({ url, sandbox }) => {
      const family = meetingFamily(sandbox);
      await family.endMeeting();
      assert.equal(family.deliveries[0].attempts[0].error, "没有配置 webhookUrl");
      const set = await postJson(url + "/__sandbox/meeting/config", { webhookUrl: hook });
      assert.equal(set.body.data.webhookUrl, hook);
      await family.whenDelivered();
      assert.equal(family.deliveries[0].status, "delivered");
      assert.equal(got.length, 1);
    });
  });
});

Deno.test("url_verification: plain and encrypted challenges, echo checked", async () => {
  const echo: Responder = async (_n, body) => {
    let data = JSON.parse(body);
    if (data.encrypt) data = JSON.parse(await decrypt("test key", data.encrypt));
    assert.equal(data.type, "url_verification");
    return Response.json({ challenge: data.challenge });
  };
  await withReceiver(echo, async (hook, got) => {
    await withSandbox(opts(hook), async ({ url, sandbox }) => {
      const plain = await postJson(url + "/__sandbox/meeting/url_verification", { challenge: "abc" });
      assert.equal(plain.body.data.ok, true);
      assert.equal(JSON.parse(got[0].body).token, "sandbox-verification-token");
      meetingFamily(sandbox).configure({ encryptKey: "test key" });
      const enc = await postJson(url + "/__sandbox/meeting/url_verification", {});
      assert.equal(enc.body.data.ok, true);
      assert.ok(JSON.parse(got[1].body).encrypt);
    });
  });
  await withReceiver(() => Response.json({ challenge: "wrong" }), async (hook) => {
    await withSandbox(opts(hook), async ({ sandbox }) => {
      const r = await meetingFamily(sandbox).sendUrlVerification();
      assert.equal(r.ok, false);
      assert.equal(r.status, 200);
    });
  });
});

Deno.test("control /end: validation errors answer 400 in Chinese; reset forgets meetings", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const unknown = await postJson(url + "/__sandbox/meeting/end", { owner_user_id: "nobody" });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /未知用户/);
    const times = await postJson(url + "/__sandbox/meeting/end", { start_time: 20, end_time: 10 });
    assert.match(times.body.message, /start_time/);
    const notJson = await call(url + "/__sandbox/meeting/end", { method: "POST", body: "{" });
    assert.equal(notJson.status, 400);
    const family = meetingFamily(sandbox);
    family.configure({ redeliveryScheduleMs: [] });
    await family.endMeeting({ topic: "复位前" });
    assert.equal(family.meetings.all.length, 1);
    const overview = await call(url + "/__sandbox/meeting");
    assert.equal(overview.body.data.meetings[0].topic, "复位前");
    assert.equal(overview.body.data.users[0].name, "张三");
    await postJson(url + "/__sandbox/reset", {});
    assert.equal(family.meetings.all.length, 0);
    assert.equal(family.deliveries.length, 0);
    assert.deepEqual(family.options.redeliveryScheduleMs, [15_000, 300_000, 3_600_000, 21_600_000]);
  });
});
