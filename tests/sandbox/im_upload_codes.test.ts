/**
 * The sandbox's IM image/file uploads (open.feishu.cn/document/server-docs/im-v1/image/create,
 * …/im-v1/file/create): image formats recognised by their magic bytes (234011 otherwise), and
 * 234001 naming the field for a request that is not multipart, a torn body, a missing file or
 * name, or a bad duration; user tokens are refused (tenant token only).
 */
import assert from "node:assert/strict";
import { sniffImage } from "../../sandbox/im/_routes_upload.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { type Answer, call, token, withSandbox } from "./_helpers.ts";

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p));

Deno.test("sniffImage: JPEG, PNG, GIF, WEBP, TIFF (both byte orders), BMP, ICO and HEIC by magic bytes", () => {
  const cases: [Uint8Array, string | undefined][] = [
    [bytes([0xff, 0xd8, 0xff, 0xe0]), "jpeg"],
    [bytes([0x89], "PNG\r\n\x1a\n"), "png"],
    [bytes("GIF87a"), "gif"],
    [bytes("GIF89a"), "gif"],
    [bytes("RIFF", [0, 0, 0, 0], "WEBP"), "webp"],
    [bytes("II", [0x2a, 0]), "tiff"],
    [bytes("MM", [0, 0x2a]), "tiff"],
    [bytes("BM", new Array(12).fill(0)), "bmp"],
    [bytes("BM"), undefined],
    [bytes([0, 0, 1, 0]), "ico"],
    [bytes([0, 0, 0, 0x18], "ftypheic"), "heic"],
    [bytes([0, 0, 0, 0x18], "ftypmif1"), "heic"],
    [bytes("RIFF", [0, 0, 0, 0], "WAVE"), undefined],
    [bytes("%PDF-1.7"), undefined],
    [new Uint8Array(), undefined],
  ];
  for (const [b, want] of cases) assert.equal(sniffImage(b), want, JSON.stringify([...b]));
});

function invalid(a: Answer, field: string) {
  assert.equal(a.status, 400, a.text);
  assert.equal(a.body.code, 234001, a.text);
  assert.equal(a.body.error.field_violations[0].field, field, a.text);
}

Deno.test("im uploads sandbox: not multipart, unparsable body, missing image/file/name, bad duration → 234001 naming the field", async () => {
  await withSandbox({ defaultRateLimits: false }, async ({ sandbox, url }) => {
    const auth = { authorization: `Bearer ${await token(url)}` };
    const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
      call(url + path, { method: "POST", headers: { ...auth, ...headers }, body });
    const form = (fields: Record<string, string | Blob>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      return f;
    };
    invalid(
      await post("/open-apis/im/v1/images", "{}", { "content-type": "application/json" }),
      "content-type",
    );
    // A multipart type without a boundary cannot be parsed.
    invalid(await post("/open-apis/im/v1/images", "x", { "content-type": "multipart/form-data" }), "body");
    invalid(await post("/open-apis/im/v1/images", form({ image_type: "message" })), "image");
    invalid(
      await post("/open-apis/im/v1/images", form({ image_type: "message", image: "text, not a file" })),
      "image",
    );
    const gif = new Blob([bytes("GIF89a", [1, 0, 1, 0])]);
    const ok = await post("/open-apis/im/v1/images", form({ image_type: "avatar", image: gif }));
    assert.match(ok.body.data.image_key, /^img_v3_/);

    const pdf = new File([bytes("%PDF-1.7")], "a.pdf");
    invalid(
      await post("/open-apis/im/v1/files", form({ file_type: "pdf", file_name: "  ", file: pdf })),
      "file_name",
    );
    invalid(await post("/open-apis/im/v1/files", form({ file_type: "pdf", file_name: "a.pdf" })), "file");
    for (const duration of ["-1", "1.5", "soon"]) {
      invalid(
        await post(
          "/open-apis/im/v1/files",
          form({ file_type: "mp4", file_name: "a.mp4", duration, file: pdf }),
        ),
        "duration",
      );
    }
    const mp4 = await post(
      "/open-apis/im/v1/files",
      form({ file_type: "mp4", file_name: "a.mp4", duration: "3000", file: pdf }),
    );
    assert.match(mp4.body.data.file_key, /^file_v3_/);

    // Tenant token only: a user token is refused with 99991668.
    const fam = meetingFamily(sandbox);
    const user = fam.userTokens.issue(
      sandbox.state.options.apps[0].appId,
      fam.directory.users[0].openId,
      [],
      sandbox.state.clock.now(),
    );
    const refused = await call(`${url}/open-apis/im/v1/images`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.access.value}` },
      body: form({ image_type: "message", image: gif }),
    });
    assert.equal(refused.body.code, 99991668, refused.text);
  });
});
