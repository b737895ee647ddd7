/** The IM client against the sandbox's `POST /open-apis/im/v1/messages`. */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { BadRequestError, PermissionError } from "../../lib/errors/mod.ts";
import { LarkHttp, type LarkHttpOptions } from "../../lib/http/mod.ts";
import { MessageApi, successCard } from "../../lib/im/mod.ts";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import type { Sandbox } from "../../sandbox/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { token, withSandbox } from "../sandbox/_helpers.ts";

async function withIm(
  fn: (env: { sandbox: Sandbox; http: (o?: Partial<LarkHttpOptions>) => LarkHttp }) => Promise<void>,
): Promise<void> {
  await withSandbox({}, async ({ sandbox, url }) => {
    const auth = staticAuth("tenant:test", { Authorization: `Bearer ${await token(url)}` });
    await fn({
      sandbox,
      http: (o = {}) => new LarkHttp({ baseUrl: url, auth, retry: { baseMs: 1, capMs: 5 }, ...o }),
    });
  });
}

Deno.test("MessageApi.sendCard posts the documented shape: receive_id_type, content string, uuid", async () => {
  await withIm(async ({ sandbox, http }) => {
    const family = meetingFamily(sandbox);
    const zhang = family.directory.users[0];
    const im = new MessageApi(http());
    const card = successCard({ fileName: "a.mp4", paths: ["/nas/a.mp4"] });
    const r = await im.sendCard("open_id", zhang.openId, card, { uuid: "job-1-done" });
    const [sent] = family.sentMessages;
    assert.deepEqual(r, {
      messageId: sent.messageId,
      chatId: sent.chatId,
      createTimeMs: sent.at,
      msgType: "interactive",
    });
    assert.equal(sent.receiveIdType, "open_id");
    assert.equal(sent.receiveId, zhang.openId);
    assert.equal(sent.msgType, "interactive");
    assert.deepEqual(JSON.parse(sent.content), card, "content is the card as a JSON string");
    assert.equal(sent.uuid, "job-1-done");
    await im.sendText("chat_id", r.chatId, "你好");
    const text = family.sentMessages[1];
    assert.equal(text.content, '{"text":"你好"}');
    assert.match(text.uuid ?? "", /^[0-9a-f-]{36}$/, "a uuid is always sent");
  });
});

Deno.test("MessageApi: oversized cards and long uuids are refused before sending", async () => {
  await withIm(async ({ sandbox, http }) => {
    const im = new MessageApi(http());
    await assert.rejects(
      im.sendCard("open_id", "ou_user", { elements: [{ tag: "div", text: "x".repeat(31 * 1024) }] }),
      (e: unknown) => e instanceof BadRequestError && /30 KB/.test(e.hint),
    );
    await assert.rejects(im.sendText("open_id", "ou", "hi", { uuid: "u".repeat(51) }), BadRequestError);
    assert.equal(sandbox.journal.count("im_message_create"), 0);
  });
});

Deno.test("MessageApi: Feishu errors stay typed (230027 permission, 230002 bot not in the chat)", async () => {
  await withIm(async ({ sandbox, http }) => {
    const zhang = meetingFamily(sandbox).directory.users[0];
    const im = new MessageApi(http({ retry: { retries: 0 } }));
    await assert.rejects(im.sendText("chat_id", "oc_" + "c".repeat(32), "hi"), (e: unknown) => {
      return (e as { code?: number }).code === 230002;
    });
    sandbox.faults.set("im_message_create", { errorRate: 1, errorStatus: 400, errorCode: 230027 });
    await assert.rejects(im.sendText("open_id", zhang.openId, "hi"), PermissionError);
  });
});

Deno.test("MessageApi: with a limiter, sends to one recipient are spaced at 5/s (the sandbox's limit is never hit)", async () => {
  await withIm(async ({ sandbox, http }) => {
    const users = meetingFamily(sandbox).directory.users;
    const limiter = new RateLimiter();
    const im = new MessageApi(http(), { limiter, perRecipientPerSecond: 5 });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 6 }, () => im.sendText("open_id", users[0].openId, "x")));
    const sameMs = performance.now() - t0;
    assert.ok(sameMs >= 180, `6 sends to one user took ${sameMs} ms`);
    const t1 = performance.now();
    await Promise.all(Array.from({ length: 5 }, (_, i) => im.sendText("open_id", users[i + 1].openId, "x")));
    assert.ok(performance.now() - t1 < 150, "different recipients are not held back");
    assert.equal(limiter.stats(`im_send_to:open_id:${users[0].openId}`)?.granted, 6);
    assert.equal(
      sandbox.journal.countThrottled("im_message_create"),
      0,
      "no 429 from the 5 QPS per recipient",
    );
  });
});
