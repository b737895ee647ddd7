/**
 * Image and file uploads end to end: the client's checks, the sandbox's
 * multipart parsing and documented codes (234001, 234006, 234010, 234011),
 * and sending a local image or file in one call.
 */
import assert from "node:assert/strict";
import { ImFieldError } from "../../lib/im/mod.ts";
import { imState } from "../../sandbox/im/message_state.ts";
import { token } from "../sandbox/_helpers.ts";
import { codeOf, GROUP, withIm } from "./_im_env.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]);

/** Raw multipart upload with the tenant token (bypassing the client's checks). */
async function upload(url: string, bearer: string, path: string, fields: Record<string, string | Blob>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await fetch(url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

Deno.test("uploadImage/uploadFile: multipart reaches the sandbox and answers keys", async () => {
  await withIm(async ({ family, im }) => {
    const imageKey = await im.uploadImage(PNG);
    assert.match(imageKey, /^img_v3_/);
    const st = imState(family);
    assert.equal(st.images.get(imageKey)?.format, "png");
    assert.deepEqual(st.images.get(imageKey)?.bytes, PNG);
    const fileKey = await im.uploadFile(new TextEncoder().encode("%PDF-1.7 …"), "合同.pdf");
    const f = st.files.get(fileKey)!;
    assert.deepEqual([f.fileType, f.fileName], ["pdf", "合同.pdf"]);
    const audio = await im.uploadFile(new Uint8Array([1, 2, 3]), "voice.opus", { durationMs: 1500 });
    assert.equal(st.files.get(audio)?.durationMs, 1500);
  });
});

Deno.test("uploadImageResult/uploadFileResult: the key with the request id the upload was sent with", async () => {
  await withIm(async ({ family, im, sentRequestIds }) => {
    const image = await im.uploadImageResult(PNG);
    assert.equal(image.requestId, sentRequestIds.at(-1));
    assert.equal(imState(family).images.get(image.imageKey)?.format, "png");
    const file = await im.uploadFileResult(new TextEncoder().encode("%PDF-1.7 …"), "合同.pdf");
    assert.equal(file.requestId, sentRequestIds.at(-1));
    assert.notEqual(file.requestId, image.requestId);
    assert.equal(imState(family).files.get(file.fileKey)?.fileName, "合同.pdf");
  });
});

Deno.test("uploads: the sandbox's documented codes for empty, too large, unknown format and bad parameters", async () => {
  await withIm(async ({ url }) => {
    const bearer = await token(url);
    const img = (bytes: Uint8Array, imageType = "message") =>
      upload(url, bearer, "/open-apis/im/v1/images", {
        image_type: imageType,
        image: new Blob([bytes as BlobPart]),
      });
    assert.equal((await img(GIF)).body.code, 0);
    assert.equal((await img(new Uint8Array())).body.code, 234010);
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PNG);
    const tooBig = await img(big);
    assert.deepEqual([tooBig.status, tooBig.body.code], [400, 234006]);
    assert.equal((await img(new TextEncoder().encode("not an image"))).body.code, 234011);
    assert.equal((await img(PNG, "sticker")).body.code, 234001);
    const file = (fields: Record<string, string | Blob>) =>
      upload(url, bearer, "/open-apis/im/v1/files", fields);
    const one = new Blob([new Uint8Array([1])]);
    assert.equal((await file({ file_type: "stream", file_name: "a.bin", file: one })).body.code, 0);
    assert.equal((await file({ file_type: "zip", file_name: "a.zip", file: one })).body.code, 234001);
    assert.equal((await file({ file_type: "stream", file: one })).body.code, 234001);
    assert.equal(
      (await file({ file_type: "stream", file_name: "a.bin", file: new Blob([]) })).body.code,
      234010,
    );
    const huge = new Blob([new Uint8Array(30 * 1024 * 1024 + 1)]);
    assert.equal((await file({ file_type: "stream", file_name: "a.bin", file: huge })).body.code, 234006);
  });
});

Deno.test("sendImageFile / sendFileFromPath: upload then send, in one call", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/chart.png`, PNG);
    await Deno.writeFile(`${dir}/report.pdf`, new TextEncoder().encode("%PDF-1.4"));
    await Deno.writeFile(`${dir}/clip.mp4`, new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]));
    await Deno.writeFile(`${dir}/fake.png`, new TextEncoder().encode("plain text"));
    await withIm(async ({ family, im, sandbox }) => {
      const st = imState(family);
      await im.sendImageFile("chat_id", GROUP, `${dir}/chart.png`);
      await im.sendFileFromPath("chat_id", GROUP, `${dir}/report.pdf`);
      await im.sendFileFromPath("chat_id", GROUP, `${dir}/clip.mp4`);
      const [image, pdf, mp4] = family.sentMessages;
      assert.equal(image.msgType, "image");
      assert.ok(st.images.has((image.parsed as { image_key: string }).image_key));
      assert.equal(pdf.msgType, "file");
      assert.equal(st.files.get((pdf.parsed as { file_key: string }).file_key)?.fileName, "report.pdf");
      assert.equal(mp4.msgType, "media");
      assert.equal(st.files.get((mp4.parsed as { file_key: string }).file_key)?.fileType, "mp4");
      await assert.rejects(
        im.sendImageFile("chat_id", GROUP, `${dir}/fake.png`),
        (e: unknown) => e instanceof ImFieldError && e.field === "image",
      );
      assert.equal(sandbox.journal.count("im_image_create"), 1, "a fake image never reaches the sandbox");
      const mp4Key = (mp4.parsed as { file_key: string }).file_key;
      assert.equal(
        await codeOf(
          im.send({
            receiveIdType: "chat_id",
            receiveId: GROUP,
            msgType: "file",
            content: { file_key: mp4Key },
          }),
        ),
        230055,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
