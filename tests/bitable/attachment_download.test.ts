/** downloadAttachment: the drive media download with the bitablePerm extra, through lib/download. */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { attachmentUrl, downloadAttachment } from "../../lib/bitable/mod.ts";
import { BadRequestError } from "../../lib/errors/mod.ts";
import { DownloadError } from "../../lib/download/mod.ts";
import { TABLE, withBase } from "./_env.ts";

Deno.test("attachmentUrl: extra is the URL-encoded bitablePerm JSON; bad input names the field", () => {
  const url = new URL(attachmentUrl("https://open.feishu.cn", "boxAbc123", { tableId: "tblX1", rev: 7 }));
  assert.equal(url.pathname, "/open-apis/drive/v1/medias/boxAbc123/download");
  assert.deepEqual(JSON.parse(url.searchParams.get("extra")!), { bitablePerm: { tableId: "tblX1", rev: 7 } });
  assert.match(url.search, /extra=%7B%22bitablePerm%22/);
  assert.equal(new URL(attachmentUrl("https://open.feishu.cn", "boxAbc123")).search, "");
  assert.throws(
    () => attachmentUrl("https://open.feishu.cn", "../x"),
    (e) => (e as { field: string }).field === "file_token",
  );
  assert.throws(
    () => attachmentUrl("https://open.feishu.cn", "boxA", { tableId: "tblX1", rev: -1 }),
    (e) => e instanceof BadRequestError && (e as unknown as { field: string }).field === "perm.rev",
  );
});

Deno.test("downloadAttachment: streams to the destination; an advanced-permission Base needs the extra", async () => {
  await withBase(async ({ base, url, authHeader, calls }) => {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 31 + 7) % 251);
    base.addAttachment("boxFile001", {
      bytes,
      name: "合同 扫描.pdf",
      type: "application/pdf",
      tableId: TABLE,
      advanced: true,
    });
    const dir = await Deno.makeTempDir();
    try {
      const auth = staticAuth("tenant:test", authHeader);
      const dest = `${dir}/a.pdf`;
      const result = await downloadAttachment({
        baseUrl: url,
        auth,
        fileToken: "boxFile001",
        dest,
        perm: { tableId: TABLE, rev: 3 },
      });
      assert.equal(result.bytes, bytes.byteLength);
      assert.deepEqual(await Deno.readFile(dest), bytes);
      assert.equal(calls("bitable_media_download"), 1);

      await assert.rejects(
        downloadAttachment({
          baseUrl: url,
          auth,
          fileToken: "boxFile001",
          dest: `${dir}/b.pdf`,
          maxRetries: 0,
        }),
        (e) => e instanceof DownloadError && e.httpStatus === 400,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
