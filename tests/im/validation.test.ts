/**
 * Messaging input is checked before any request: every wrong field gives an
 * ImFieldError (a BadRequestError) naming it, with a Chinese hint; the
 * builders produce the documented shapes.
 */
import assert from "node:assert/strict";
import { BadRequestError } from "../../lib/errors/mod.ts";
import {
  CardBuilder,
  checkFile,
  checkImage,
  detectImageFormat,
  fileTypeFor,
  ImFieldError,
  MessageApi,
  PostBuilder,
  textMessage,
  validateCardV2,
} from "../../lib/im/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";

/** Assert `fn` throws an ImFieldError for `field` with a Chinese hint. */
function fieldError(fn: () => unknown, field: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ImFieldError, `expected ImFieldError, got ${e}`);
    assert.ok(e instanceof BadRequestError);
    if (typeof field === "string") assert.equal(e.field, field);
    else assert.match(e.field, field);
    assert.match(e.hint, /[\u4e00-\u9fff]/, "hint is Chinese");
    assert.equal(e.retryable, false);
    return true;
  });
}

/** A MessageApi whose HTTP layer fails the test if it is ever called. */
function offlineApi(): { im: MessageApi; calls: () => number } {
  let n = 0;
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:9",
    fetch: () => {
      n++;
      return Promise.reject(new Error("no request expected"));
    },
  });
  return { im: new MessageApi(http), calls: () => n };
}

async function rejectsField(p: Promise<unknown>, field: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof ImFieldError && e.field === field);
}

Deno.test("MessageApi refuses every wrong field before any request", async () => {
  const { im, calls } = offlineApi();
  await rejectsField(im.sendText("openid" as never, "ou_1", "hi"), "receiveIdType");
  await rejectsField(im.sendText("open_id", "oc_1", "hi"), "receiveId");
  await rejectsField(im.sendText("chat_id", "ou_1", "hi"), "receiveId");
  await rejectsField(im.sendText("union_id", "ou_1", "hi"), "receiveId");
  await rejectsField(im.sendText("email", "not-an-email", "hi"), "receiveId");
  await rejectsField(im.sendText("user_id", "", "hi"), "receiveId");
  await rejectsField(im.sendText("open_id", "ou_1", ""), "text");
  await rejectsField(im.sendText("open_id", "ou_1", "hi", { uuid: "u".repeat(51) }), "uuid");
  await rejectsField(im.sendText("open_id", "ou_1", "x".repeat(150 * 1024 + 1)), "content");
  await rejectsField(
    im.sendPost("open_id", "ou_1", { zh_cn: { content: [[{ tag: "text", text: "x".repeat(31 * 1024) }]] } }),
    "content",
  );
  await rejectsField(
    im.send({ receiveIdType: "open_id", receiveId: "ou_1", msgType: "voice" as never, content: {} }),
    "msgType",
  );
  await rejectsField(
    im.send({ receiveIdType: "open_id", receiveId: "ou_1", msgType: "text", content: "not json" }),
    "content",
  );
  await rejectsField(
    im.send({ receiveIdType: "open_id", receiveId: "ou_1", msgType: "text", content: "[1]" }),
    "content",
  );
  await rejectsField(
    im.sendCard("open_id", "ou_1", { schema: "2.0", body: { elements: [] } }),
    "body.elements",
  );
  await rejectsField(im.reply("m_1", "text", { text: "x" }), "messageId");
  await rejectsField(im.recall("1234"), "messageId");
  await rejectsField(im.edit("om_1", "interactive" as never, { text: "x" }), "msgType");
  await rejectsField(
    im.updateCard("om_1", { config: { wide_screen_mode: true }, elements: [] }),
    "config.update_multi",
  );
  await rejectsField(im.uploadImage(new Uint8Array()), "image");
  await rejectsField(im.uploadImage(new TextEncoder().encode("plain text")), "image");
  await rejectsField(im.uploadFile(new Uint8Array([1]), "a.bin", { fileType: "zip" as never }), "fileType");
  await rejectsField(im.uploadFile(new Uint8Array(), "a.pdf"), "file");
  await rejectsField(im.uploadFile(new Uint8Array([1]), " "), "fileName");
  await rejectsField(im.sendImageFile("open_id", "ou_1", "/nonexistent/x.png"), "path");
  await rejectsField(im.sendFileFromPath("chat_id", "ou_1", "/nonexistent/x.pdf"), "receiveId");
  assert.equal(calls(), 0, "no request was made");
});

Deno.test("textMessage: @mentions first, names escaped, ids checked", () => {
  assert.deepEqual(
    textMessage("请审批", { mentions: [{ openId: "ou_a1", name: "张<三>" }, { openId: "all" }] }),
    {
      text: '<at user_id="ou_a1">张&lt;三&gt;</at> <at user_id="all"></at> 请审批',
    },
  );
  assert.deepEqual(textMessage("hi"), { text: "hi" });
  fieldError(() => textMessage(""), "text");
  fieldError(
    () => textMessage("x", { mentions: [{ openId: "ou_ok" }, { openId: "u_bad" }] }),
    "mentions[1].openId",
  );
});

Deno.test("PostBuilder: bold, italic, link, @, image and code in the documented post shape", () => {
  const post = new PostBuilder("周报")
    .text("完成 ").bold("3 项").italic("（超额）").link("文档", "https://example.com/d")
    .newline().at("ou_u1").image("img_v3_1").codeBlock("ts", "let a = 1;").rule()
    .build();
  assert.deepEqual(post, {
    zh_cn: {
      title: "周报",
      content: [
        [
          { tag: "text", text: "完成 " },
          { tag: "text", text: "3 项", style: ["bold"] },
          { tag: "text", text: "（超额）", style: ["italic"] },
          { tag: "a", text: "文档", href: "https://example.com/d" },
        ],
        [{ tag: "at", user_id: "ou_u1" }],
        [{ tag: "img", image_key: "img_v3_1" }],
        [{ tag: "code_block", language: "ts", text: "let a = 1;" }],
        [{ tag: "hr" }],
      ],
    },
  });
  assert.deepEqual(Object.keys(new PostBuilder(undefined, "en_us").text("x").build()), ["en_us"]);
  fieldError(() => new PostBuilder().text(""), "post.text");
  fieldError(() => new PostBuilder().bold(""), "post.bold");
  fieldError(() => new PostBuilder().italic(""), "post.italic");
  fieldError(() => new PostBuilder().link("", "https://a.b"), "post.link.text");
  fieldError(() => new PostBuilder().link("x", "javascript:alert(1)"), "post.link.href");
  fieldError(() => new PostBuilder().at("oc_1"), "post.at");
  fieldError(() => new PostBuilder().image(""), "post.image");
  fieldError(() => new PostBuilder().codeBlock("", "x"), "post.codeBlock.language");
  fieldError(() => new PostBuilder().codeBlock("go", ""), "post.codeBlock.text");
  fieldError(() => new PostBuilder().build(), "post");
});

Deno.test("CardBuilder: card JSON 2.0 with header, markdown, text, buttons with behaviors and columns", () => {
  const card = new CardBuilder()
    .header("报销审批", "orange", "R-1")
    .markdown("**金额**：100")
    .text("<不解析>")
    .hr()
    .columns(
      (c) => c.button("同意", { callback: { action: "approve" }, type: "primary_filled" }),
      (c) => c.button("详情", { url: "https://example.com/r/1" }),
    )
    .build();
  assert.deepEqual(card, {
    schema: "2.0",
    config: { update_multi: true },
    header: {
      title: { tag: "plain_text", content: "报销审批" },
      subtitle: { tag: "plain_text", content: "R-1" },
      template: "orange",
    },
    body: {
      elements: [
        { tag: "markdown", content: "**金额**：100" },
        { tag: "div", text: { tag: "plain_text", content: "<不解析>" } },
        { tag: "hr" },
        {
          tag: "column_set",
          flex_mode: "none",
          columns: [
            {
              tag: "column",
              width: "weighted",
              weight: 1,
              elements: [{
                tag: "button",
                text: { tag: "plain_text", content: "同意" },
                type: "primary_filled",
                behaviors: [{ type: "callback", value: { action: "approve" } }],
              }],
            },
            {
              tag: "column",
              width: "weighted",
              weight: 1,
              elements: [{
                tag: "button",
                text: { tag: "plain_text", content: "详情" },
                type: "default",
                behaviors: [{ type: "open_url", default_url: "https://example.com/r/1" }],
              }],
            },
          ],
        },
      ],
    },
  });
});

Deno.test("CardBuilder and validateCardV2 name every wrong field", () => {
  fieldError(() => new CardBuilder().header(""), "header.title");
  fieldError(() => new CardBuilder().header("t", "pink" as never), "header.template");
  fieldError(() => new CardBuilder().header("t", "blue", ""), "header.subtitle");
  fieldError(() => new CardBuilder().markdown(""), "body.elements[0].content");
  fieldError(() => new CardBuilder().markdown("a").text(""), "body.elements[1].text.content");
  fieldError(
    () => new CardBuilder().button("x".repeat(101), { url: "https://a.b" }),
    "body.elements[0].text.content",
  );
  fieldError(() => new CardBuilder().button("ok", {}), "body.elements[0].behaviors");
  fieldError(() => new CardBuilder().button("ok", { url: "ftp://x" }), "body.elements[0].behaviors.url");
  fieldError(
    () => new CardBuilder().button("ok", { callback: [] as never }),
    "body.elements[0].behaviors.callback",
  );
  fieldError(
    () => new CardBuilder().button("ok", { url: "https://a.b", type: "huge" as never }),
    "body.elements[0].type",
  );
  fieldError(() => new CardBuilder().columns(), "body.elements[0].columns");
  fieldError(
    () =>
      new CardBuilder().markdown("a").columns(
        (c) => c.markdown("b"),
        (c) => c.button("", { url: "https://a.b" }),
      ),
    "body.elements[1].columns[1].elements[0].text.content",
  );
  fieldError(() => new CardBuilder().build(), "body.elements");
  const big = new CardBuilder();
  for (let i = 0; i < 201; i++) big.markdown(`行 ${i}`);
  fieldError(() => big.build(), "body.elements");
  fieldError(() => validateCardV2({ config: {}, elements: [] }), "schema");
  fieldError(
    () => validateCardV2({ schema: "2.0", body: { elements: [{ content: "x" }] } }),
    "body.elements[0].tag",
  );
  fieldError(
    () =>
      validateCardV2({ schema: "2.0", config: { update_multi: false }, body: { elements: [{ tag: "hr" }] } }),
    "config.update_multi",
  );
  const at200 = new CardBuilder();
  for (let i = 0; i < 200; i++) at200.markdown(`行 ${i}`);
  assert.equal(at200.build().body.elements.length, 200, "200 elements are allowed");
});

const bytes = (...v: (number | string)[]) =>
  new Uint8Array(v.flatMap((x) => typeof x === "string" ? [...x].map((ch) => ch.charCodeAt(0)) : [x]));

Deno.test("images are recognised by magic bytes: JPEG, PNG, WEBP, GIF, TIFF, BMP, ICO", () => {
  const samples: [string, Uint8Array][] = [
    ["jpeg", bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)],
    ["png", bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0, 0)],
    ["webp", bytes("RIFF", 0, 0, 0, 0, "WEBPVP8 ")],
    ["gif", bytes("GIF89a", 1, 0)],
    ["gif", bytes("GIF87a", 1, 0)],
    ["tiff", bytes("II", 42, 0, 8, 0)],
    ["tiff", bytes("MM", 0, 42, 0, 8)],
    ["bmp", bytes("BM", 0, 0, 0, 0, 0, 0)],
    ["ico", bytes(0, 0, 1, 0, 1, 0)],
  ];
  for (const [format, b] of samples) {
    assert.equal(detectImageFormat(b), format);
    assert.equal(checkImage(b), format);
  }
  for (
    const bad of [bytes("RIFF", 0, 0, 0, 0, "WAVE"), bytes(0x89, "PNX"), bytes("%PDF-1.7"), bytes(0xff, 0xd8)]
  ) {
    assert.equal(detectImageFormat(bad), undefined);
    fieldError(() => checkImage(bad), "image");
  }
  fieldError(() => checkImage(new Uint8Array()), "image");
  const tooBig = new Uint8Array(10 * 1024 * 1024 + 1);
  tooBig.set([0xff, 0xd8, 0xff]);
  fieldError(() => checkImage(tooBig), "image");
  const atLimit = tooBig.subarray(0, 10 * 1024 * 1024);
  assert.equal(checkImage(atLimit), "jpeg", "exactly 10 MB is allowed");
});

Deno.test("files: type list, name, empty and 30 MB checks; file_type from the extension", () => {
  assert.throws(() => checkFile(new Uint8Array([1]), "zip", "a.zip"), (e: unknown) => {
    assert.ok(e instanceof ImFieldError && e.field === "fileType");
    for (const t of ["opus", "mp4", "pdf", "doc", "xls", "ppt", "stream"]) {
      assert.ok(e.hint.includes(t), `hint lists ${t}`);
    }
    return true;
  });
  fieldError(() => checkFile(new Uint8Array([1]), "pdf", ""), "fileName");
  fieldError(() => checkFile(new Uint8Array(), "pdf", "a.pdf"), "file");
  fieldError(() => checkFile(new Uint8Array(30 * 1024 * 1024 + 1), "stream", "a.bin"), "file");
  checkFile(new Uint8Array(30 * 1024 * 1024), "stream", "a.bin");
  assert.deepEqual(
    ["a.PDF", "b.docx", "c.xlsx", "d.pptx", "e.mp4", "f.opus", "g.zip", "noext"].map(fileTypeFor),
    ["pdf", "doc", "xls", "ppt", "mp4", "opus", "stream", "stream"],
  );
});
