import assert from "node:assert/strict";
import { BadRequestError, PermissionError } from "../../lib/errors/mod.ts";
import { MessageApi, successCard } from "../../lib/im/mod.ts";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import { larkJson, withFakeApi } from "./_fake_open_api.ts";

const sent = (n: number) => ({
  message_id: `om_${n}`,
  chat_id: "oc_p2p",
  msg_type: "interactive",
  create_time: "1768791700123",
});

Deno.test("MessageApi.sendCard posts the documented shape: receive_id_type, content string, uuid", async () => {
  await withFakeApi({ "POST /open-apis/im/v1/messages": (_c, n) => sent(n) }, async ({ http, seen }) => {
    const im = new MessageApi(http());
    const card = successCard({ fileName: "a.mp4", paths: ["/nas/a.mp4"] });
    const r = await im.sendCard("open_id", "ou_user", card, { uuid: "job-1-done" });
    assert.deepEqual(r, {
      messageId: "om_1",
      chatId: "oc_p2p",
      createTimeMs: 1768791700123,
      msgType: "interactive",
    });
    assert.equal(seen[0].query.get("receive_id_type"), "open_id");
    const body = seen[0].body as Record<string, unknown>;
    assert.equal(body.receive_id, "ou_user");
    assert.equal(body.msg_type, "interactive");
    assert.equal(typeof body.content, "string");
    assert.deepEqual(JSON.parse(body.content as string), card);
    assert.equal(body.uuid, "job-1-done");
    await im.sendText("chat_id", "oc_1", "你好");
    const text = seen[1].body as Record<string, string>;
    assert.equal(text.content, '{"text":"你好"}');
    assert.match(text.uuid, /^[0-9a-f-]{36}$/, "a uuid is always sent");
  });
});

Deno.test("MessageApi: oversized cards and long uuids are refused before sending", async () => {
  await withFakeApi({ "POST /open-apis/im/v1/messages": (_c, n) => sent(n) }, async ({ http, seen }) => {
    const im = new MessageApi(http());
    await assert.rejects(
      im.sendCard("open_id", "ou_user", { elements: [{ tag: "div", text: "x".repeat(31 * 1024) }] }),
      (e: unknown) => e instanceof BadRequestError && /30 KB/.test(e.hint),
    );
    await assert.rejects(im.sendText("open_id", "ou", "hi", { uuid: "u".repeat(51) }), BadRequestError);
    assert.equal(seen.length, 0);
  });
});

Deno.test("MessageApi: Feishu errors stay typed (230027 permission)", async () => {
  await withFakeApi({
    "POST /open-apis/im/v1/messages": () =>
      larkJson({ code: 230027, msg: "Lack of necessary permissions" }, 400),
  }, async ({ http }) => {
    await assert.rejects(new MessageApi(http()).sendText("open_id", "ou", "hi"), PermissionError);
  });
});

Deno.test("MessageApi: with a limiter, sends to one recipient are spaced at 5/s", async () => {
  await withFakeApi({ "POST /open-apis/im/v1/messages": (_c, n) => sent(n) }, async ({ http }) => {
    const limiter = new RateLimiter();
    const im = new MessageApi(http(), { limiter, perRecipientPerSecond: 5 });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 6 }, () => im.sendText("open_id", "ou_same", "x")));
    const sameMs = performance.now() - t0;
    assert.ok(sameMs >= 180, `6 sends to one user took ${sameMs} ms`);
    const t1 = performance.now();
    await Promise.all(Array.from({ length: 5 }, (_, i) => im.sendText("open_id", `ou_${i}`, "x")));
    assert.ok(performance.now() - t1 < 150, "different recipients are not held back");
    assert.equal(limiter.stats("im_send_to:open_id:ou_same")?.granted, 6);
  });
});
