/**
 * The sandbox's drive media upload/download endpoints refuse bad requests with
 * the codes of their pages' error tables (open.feishu.cn/document/server-docs/
 * docs/drive-v1/media/…): 1061002 params error, 1061003 not found, 1061021
 * upload id expire, 1061043 size beyond limit, 1061044 parent node not exist,
 * 1062009 size mismatch, 1062010 block missing, 1062011 block num out of
 * bounds; a deleted file answers 1061007 (UNCONFIRMED).
 */
import assert from "node:assert/strict";
import { docsFamily } from "../../sandbox/docx/family.ts";
import { type Answer, call, token, withSandbox } from "./_helpers.ts";

const MEDIAS = "/open-apis/drive/v1/medias";
const MB = 1024 * 1024;

function refused(a: Answer, status: number, code: number, msg?: RegExp) {
  assert.equal(a.status, status, a.text);
  assert.equal(a.body.code, code, a.text);
  if (msg) assert.match(a.body.msg, msg);
}

function multipart(fields: Record<string, string>, file?: Uint8Array): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (file) f.set("file", new Blob([file as Uint8Array<ArrayBuffer>]), "f.bin");
  return f;
}

type Post = (path: string, body: FormData | string | Record<string, unknown>) => Promise<Answer>;

async function withMedia(fn: (post: Post, get: (token: string) => Promise<Answer>) => Promise<void>) {
  await withSandbox({ defaultRateLimits: false }, async ({ url }) => {
    const auth = { authorization: `Bearer ${await token(url)}` };
    await fn(
      (path, body) =>
        call(url + MEDIAS + path, {
          method: "POST",
          headers: body instanceof FormData ? auth : { ...auth, "content-type": "application/json" },
          body: body instanceof FormData || typeof body === "string" ? body : JSON.stringify(body),
        }),
      (t) => call(`${url}${MEDIAS}/${t}/download`, { headers: auth }),
    );
  });
}

const meta = { file_name: "a.bin", parent_type: "doc_file", parent_node: "doccnParent01" };

Deno.test("drive media sandbox: upload_all checks its metadata, size and body", async () => {
  await withMedia(async (post) => {
    const three = new Uint8Array([1, 2, 3]);
    refused(await post("/upload_all", "not a form"), 400, 1061002, /multipart/);
    refused(
      await post("/upload_all", multipart({ ...meta, file_name: "", size: "3" }, three)),
      400,
      1061002,
      /file_name/,
    );
    refused(
      await post("/upload_all", multipart({ ...meta, file_name: "名".repeat(251), size: "3" }, three)),
      400,
      1061002,
      /file_name/,
    );
    refused(
      await post("/upload_all", multipart({ ...meta, parent_type: "wiki", size: "3" }, three)),
      400,
      1061002,
      /parent_type/,
    );
    refused(
      await post("/upload_all", multipart({ ...meta, parent_node: "", size: "3" }, three)),
      400,
      1061002,
      /parent_node/,
    );
    refused(
      await post(
        "/upload_all",
        multipart({ ...meta, parent_type: "docx_image", parent_node: "doxcnNOPE", size: "3" }, three),
      ),
      400,
      1061044,
    );
    refused(await post("/upload_all", multipart({ ...meta, size: "0" }, three)), 400, 1061002, /size/);
    refused(await post("/upload_all", multipart({ ...meta, size: "2.5" }, three)), 400, 1061002, /size/);
    refused(await post("/upload_all", multipart({ ...meta, size: String(21 * MB) }, three)), 400, 1061043);
    refused(
      await post("/upload_all", multipart({ ...meta, size: "4" }, three)),
      400,
      1061002,
      /does not match/,
    );
    refused(await post("/upload_all", multipart({ ...meta, size: "3" })), 400, 1061002, /does not match/);
    const ok = await post("/upload_all", multipart({ ...meta, size: "3" }, three));
    assert.equal(ok.body.code, 0, ok.text);
    assert.match(ok.body.data.file_token, /^\w+$/);
  });
});

Deno.test("drive media sandbox: multipart upload — expired id, seq bounds, size mismatch, missing block; then the file", async () => {
  await withMedia(async (post, get) => {
    refused(await post("/upload_prepare", "{broken"), 400, 1061002, /JSON/);
    refused(await post("/upload_prepare", "[]"), 400, 1061002, /JSON/);
    refused(await post("/upload_prepare", { ...meta, size: -1 }), 400, 1061002, /size/);
    const size = 4 * MB + 10;
    const prepared = await post("/upload_prepare", { ...meta, file_name: "大文件.bin", size });
    assert.equal(prepared.body.code, 0, prepared.text);
    const { upload_id: id, block_size: block, block_num: num } = prepared.body.data;
    assert.deepEqual([block, num], [4 * MB, 2]);

    const part = (fields: Record<string, string>, bytes?: Uint8Array) =>
      post("/upload_part", multipart({ upload_id: id, ...fields }, bytes));
    refused(await post("/upload_part", "x"), 400, 1061002, /multipart/);
    refused(await post("/upload_part", multipart({ upload_id: "nope", seq: "0", size: "10" })), 400, 1061021);
    refused(await part({ seq: "-1", size: "10" }), 400, 1061002, /seq/);
    refused(await part({ seq: "2", size: "10" }), 400, 1062011);
    refused(await part({ seq: "1", size: "11" }, new Uint8Array(10)), 400, 1061002, /size/);
    refused(await part({ seq: "1", size: "10" }, new Uint8Array(9)), 400, 1062009);
    const last = new Uint8Array(10).fill(7);
    assert.equal((await part({ seq: "1", size: "10" }, last)).body.code, 0);

    refused(await post("/upload_finish", "{broken"), 400, 1061002, /JSON/);
    refused(await post("/upload_finish", "null"), 400, 1061002, /JSON/);
    refused(await post("/upload_finish", { upload_id: "nope", block_num: 2 }), 400, 1061021);
    refused(await post("/upload_finish", { upload_id: id, block_num: 3 }), 400, 1061002, /block_num/);
    refused(await post("/upload_finish", { upload_id: id, block_num: 2 }), 400, 1062010);
    assert.equal((await part({ seq: "0", size: String(4 * MB) }, new Uint8Array(4 * MB))).body.code, 0);
    const done = await post("/upload_finish", { upload_id: id, block_num: 2 });
    assert.equal(done.body.code, 0, done.text);

    const file = await get(done.body.data.file_token);
    assert.equal(file.status, 200);
    assert.equal(Number(file.headers.get("content-length")), size);
    assert.match(
      file.headers.get("content-disposition")!,
      /filename\*=UTF-8''%E5%A4%A7%E6%96%87%E4%BB%B6\.bin/,
    );
    refused(await get("boxcnNOPE"), 404, 1061003);
  });
});

Deno.test("drive media sandbox: a deleted file is 1061007 (404)", async () => {
  await withSandbox({ defaultRateLimits: false }, async ({ sandbox, url }) => {
    const auth = { authorization: `Bearer ${await token(url)}` };
    const up = await call(`${url}${MEDIAS}/upload_all`, {
      method: "POST",
      headers: auth,
      body: multipart({ ...meta, size: "1" }, new Uint8Array([9])),
    });
    const fileToken = up.body.data.file_token;
    docsFamily(sandbox.state).media.get(fileToken)!.deleted = true;
    refused(await call(`${url}${MEDIAS}/${fileToken}/download`, { headers: auth }), 404, 1061007);
  });
});
