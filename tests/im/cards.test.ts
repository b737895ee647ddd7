import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  authRequiredCard,
  cardBytes,
  escapeMarkdown,
  successCard,
  verifyCardSignature,
} from "../../lib/im/mod.ts";

Deno.test("successCard: green header, file name and every path as plain text", () => {
  const c = successCard({
    fileName: "张三_周会*重要*_20260119_1000.mp4",
    paths: ["/nas/张三/张三_周会_20260119_1000.mp4", "/nas/@team/研发部/张三_周会_20260119_1000.mp4"],
    meetingTopic: "周会 [重要]",
    meetingTime: "2026-01-19 10:00",
  });
  assert.equal(c.header?.template, "green");
  assert.equal(c.header?.title.content, "会议录制已归档");
  const json = JSON.stringify(c);
  const texts = c.elements.flatMap((e) => ("text" in e ? [e.text] : []));
  const plain = texts.filter((t) => t.tag === "plain_text").map((t) => t.content);
  assert.ok(plain.includes("张三_周会*重要*_20260119_1000.mp4"), "file name shown verbatim");
  assert.ok(plain.some((p) => p.includes("/nas/@team/研发部/张三_周会_20260119_1000.mp4")));
  assert.ok(json.includes("周会 \\\\[重要\\\\]"), "topic escaped in markdown");
  assert.ok(json.includes("2 处"));
});

Deno.test("successCard: a huge path list is cut to stay under 30 KB and says so", () => {
  const paths = Array.from(
    { length: 400 },
    (_, i) => `/nas/@team/${"很长的部门名称".repeat(10)}${i}/文件.mp4`,
  );
  const c = successCard({ fileName: "a.mp4", paths });
  assert.ok(cardBytes(c) <= 28 * 1024, `card is ${cardBytes(c)} bytes`);
  const json = JSON.stringify(c);
  assert.match(json, /另有 \d+ 处未列出/);
  assert.ok(json.includes("（400 处）"));
});

Deno.test("authRequiredCard: red header, reason, and a button to the auth URL", () => {
  const c = authRequiredCard({
    reason: "你的授权已过期",
    authUrl: "https://archiver.example.com/auth/start?u=ou_1",
    meetingTopic: "周会",
  });
  assert.equal(c.header?.template, "red");
  const action = c.elements.find((e) => e.tag === "action");
  assert.ok(action && action.tag === "action");
  assert.deepEqual(action.actions[0], {
    tag: "button",
    text: { tag: "plain_text", content: "授权开启" },
    type: "danger",
    url: "https://archiver.example.com/auth/start?u=ou_1",
  });
  assert.match(JSON.stringify(c), /你的授权已过期/);
  assert.equal(c.config.wide_screen_mode, true);
});

Deno.test("escapeMarkdown neutralises markdown, links and tags", () => {
  assert.equal(
    escapeMarkdown("*a* _b_ [c](d) <at id=all></at> ~e~ `f`"),
    "\\*a\\* \\_b\\_ \\[c\\]\\(d\\) &lt;at id=all&gt;&lt;/at&gt; \\~e\\~ \\`f\\`",
  );
});

Deno.test("verifyCardSignature: SHA-1 over timestamp+nonce+token+body", () => {
  const input = { timestamp: "1700000000", nonce: "n1", verificationToken: "vt", rawBody: '{"action":{}}' };
  const signature = createHash("sha1").update(
    input.timestamp + input.nonce + input.verificationToken + input.rawBody,
  )
    .digest("hex");
  assert.equal(verifyCardSignature({ ...input, signature }), true);
  assert.equal(verifyCardSignature({ ...input, signature: signature.toUpperCase() }), true);
  assert.equal(verifyCardSignature({ ...input, rawBody: '{"action":{ }}', signature }), false);
  assert.equal(verifyCardSignature({ ...input, verificationToken: "other", signature }), false);
  assert.equal(verifyCardSignature({ ...input, signature: "" }), false);
});
