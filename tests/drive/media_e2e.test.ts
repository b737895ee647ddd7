/** Media upload (one call and in parts) and streamed, resumable download against the sandbox. */
import assert from "node:assert/strict";
import { DocxApi, imageBlock } from "../../lib/docx/mod.ts";
import { MediaApi, UPLOAD_ALL_MAX_BYTES } from "../../lib/drive/mod.ts";
import { BadRequestError, NotFoundError, ParamError } from "../../lib/errors/mod.ts";
import { docsFamily } from "../../sandbox/docx/family.ts";
import { withDocs } from "../docx/_env.ts";

function bytes(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >> 16;
  }
  return out;
}

Deno.test("media: an image uploaded into a docx image block, shown by replace_image, downloaded back", async () => {
  await withDocs({}, async ({ http, auth, sandbox }) => {
    const dir = await Deno.makeTempDir();
    try {
      const docs = new DocxApi(http());
      const media = new MediaApi(http(), { auth });
      const { documentId } = await docs.createDocument({ title: "带图" });
      const { blocks } = await docs.appendBlocks(documentId, [imageBlock()]);
      const png = bytes(50_000);
      await Deno.writeFile(`${dir}/chart.png`, png);
      const token = await media.upload({
        file: `${dir}/chart.png`,
        fileName: "chart.png",
        parentType: "docx_image",
        parentNode: blocks[0].block_id!,
      });
      assert.equal(sandbox.journal.filter("drive_media_upload_all").length, 1);
      await docs.updateBlock(documentId, blocks[0].block_id!, { replaceImage: token });
      const stored = [];
      for await (const b of docs.blocks(documentId)) stored.push(b);
      assert.equal((stored[1].image as { token: string }).token, token);
      const got = await media.download(token, `${dir}/out/chart.png`);
      assert.equal(got.bytes, png.byteLength);
      assert.equal(got.contentType, "image/png");
      assert.deepEqual(await Deno.readFile(`${dir}/out/chart.png`), png);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("media: a file over 20 MB goes in 4 MB parts read from disk, and comes back identical", async () => {
  // Limits off: this test is about the parts (pacing is the limiter's job, tested with docx).
  await withDocs({ defaultRateLimits: false }, async ({ http, auth, sandbox }) => {
    const dir = await Deno.makeTempDir();
    try {
      const size = UPLOAD_ALL_MAX_BYTES + 1_500_000;
      const data = bytes(size, 3);
      await Deno.writeFile(`${dir}/big.bin`, data);
      const media = new MediaApi(http(), { auth });
      const token = await media.upload({
        file: `${dir}/big.bin`,
        fileName: "big.bin",
        parentType: "bitable_file",
        parentNode: "bascnApp",
      });
      assert.equal(sandbox.journal.filter("drive_media_upload_all").length, 0);
      assert.equal(sandbox.journal.filter("drive_media_upload_prepare").length, 1);
      assert.equal(
        sandbox.journal.filter("drive_media_upload_part").length,
        Math.ceil(size / (4 * 1024 * 1024)),
      );
      assert.equal(sandbox.journal.filter("drive_media_upload_finish").length, 1);
      const r = await media.download(token, `${dir}/back.bin`);
      assert.equal(r.bytes, size);
      assert.deepEqual(await Deno.readFile(`${dir}/back.bin`), data);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("media: a download resumes from an earlier .part with Range", async () => {
  await withDocs({}, async ({ http, auth, sandbox }) => {
    const dir = await Deno.makeTempDir();
    try {
      const media = new MediaApi(http(), { auth });
      const data = bytes(300_000, 11);
      const token = await media.upload({
        file: data,
        fileName: "a.bin",
        parentType: "ccm_import_open",
        parentNode: "x",
      });
      // An earlier run stopped after 100 000 bytes.
      await Deno.writeFile(`${dir}/a.bin.part`, data.subarray(0, 100_000));
      const r = await media.download(token, `${dir}/a.bin`);
      assert.equal(r.resumes, 1);
      assert.deepEqual(await Deno.readFile(`${dir}/a.bin`), data);
      const entry = sandbox.journal.filter("drive_media_download").at(-1)!;
      assert.equal(entry.status, 206);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("media: deleted or unknown tokens are NotFoundError; documented upload refusals", async () => {
  await withDocs({}, async ({ http, auth, sandbox }) => {
    const dir = await Deno.makeTempDir();
    try {
      const media = new MediaApi(http(), { auth });
      await assert.rejects(
        media.download("boxcnUnknown", `${dir}/x`),
        (e) => e instanceof NotFoundError && e.code === 1061003,
      );
      const token = await media.upload({
        file: bytes(10),
        fileName: "x.txt",
        parentType: "ccm_import_open",
        parentNode: "n",
      });
      docsFamily(sandbox.state).media.delete(token);
      await assert.rejects(
        media.download(token, `${dir}/x`),
        (e) => e instanceof NotFoundError && e.code === 1061007,
      );
      // docx_image into a block that does not exist → 1061044 (parent node not exist).
      await assert.rejects(
        media.upload({
          file: bytes(10),
          fileName: "a.png",
          parentType: "docx_image",
          parentNode: "doxcnNoBlock",
        }),
        (e) => e instanceof NotFoundError && e.code === 1061044,
      );
      // upload_all refuses a declared size over 20 MB (the client uses parts for those): 1061043.
      const form = new FormData();
      for (
        const [k, v] of Object.entries({ file_name: "a", parent_type: "ccm_import_open", parent_node: "n" })
      ) {
        form.set(k, v);
      }
      form.set("size", String(UPLOAD_ALL_MAX_BYTES + 1));
      form.set("file", new Blob([new Uint8Array(4)]), "a");
      const big = await http().request({
        method: "POST",
        path: "/open-apis/drive/v1/medias/upload_all",
        body: form,
      })
        .catch((e) => e);
      assert.ok(big instanceof BadRequestError && big.code === 1061043, String(big));
      // Multipart refusals: expired/unknown upload id 1061021, part out of range 1062011,
      // wrong part bytes 1062009, finishing with parts missing 1062010.
      const api = http();
      const { data: prep } = await api.request<{ upload_id: string; block_num: number }>({
        method: "POST",
        path: "/open-apis/drive/v1/medias/upload_prepare",
        body: { file_name: "p.bin", parent_type: "ccm_import_open", parent_node: "n", size: 5_000_000 },
      });
      assert.equal(prep.block_num, 2);
      const part = (uploadId: string, seq: number, size: number, actual: number) => {
        const f = new FormData();
        f.set("upload_id", uploadId);
        f.set("seq", String(seq));
        f.set("size", String(size));
        f.set("file", new Blob([new Uint8Array(actual)]), "p.bin");
        return api.request({ method: "POST", path: "/open-apis/drive/v1/medias/upload_part", body: f })
          .catch((e) => e);
      };
      const codeOf = (e: unknown) => e instanceof BadRequestError ? e.code : String(e);
      assert.equal(codeOf(await part("upNope", 0, 10, 10)), 1061021);
      assert.equal(codeOf(await part(prep.upload_id, 2, 10, 10)), 1062011);
      assert.equal(codeOf(await part(prep.upload_id, 0, 4 * 1024 * 1024, 10)), 1062009);
      const early = await api.request({
        method: "POST",
        path: "/open-apis/drive/v1/medias/upload_finish",
        body: { upload_id: prep.upload_id, block_num: 2 },
      }).catch((e) => e);
      assert.equal(codeOf(early), 1062010);
      // An unknown parent_type: 1061002.
      const res = await http().request({
        method: "POST",
        path: "/open-apis/drive/v1/medias/upload_prepare",
        body: { file_name: "a", parent_type: "nope", parent_node: "n", size: 1 },
      }).catch((e) => e);
      assert.ok(res instanceof BadRequestError && res.code === 1061002);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("media: input checked before any request", async () => {
  await withDocs({}, async ({ http, sandbox }) => {
    const media = new MediaApi(http());
    const field = (f: string) => (e: unknown) => e instanceof ParamError && e.field === f;
    const ok = { file: bytes(1), fileName: "a", parentType: "docx_image", parentNode: "n" } as const;
    await assert.rejects(media.upload({ ...ok, fileName: "x".repeat(251) }), field("fileName"));
    await assert.rejects(media.upload({ ...ok, parentType: "wiki" as never }), field("parentType"));
    await assert.rejects(media.upload({ ...ok, file: new Uint8Array(0) }), field("file"));
    await assert.rejects(media.upload({ ...ok, file: "/no/such/file" }), field("file"));
    await assert.rejects(media.download("boxcnA", "/tmp/x"), field("auth"));
    await assert.rejects(media.download("../etc", "/tmp/x"), field("fileToken"));
    assert.equal(sandbox.journal.entries.filter((e) => e.endpoint.startsWith("drive_")).length, 0);
  });
});
