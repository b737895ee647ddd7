/**
 * MediaApi against a scripted server: bad `file` arguments are ParamErrors
 * before any request, an upload answer without a file token or a prepared
 * upload whose block count disagrees with the size is a typed LarkError, and
 * the `extra` of an upload is sent with the form.
 */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { MediaApi } from "../../lib/drive/mod.ts";
import { LarkError, ParamError } from "../../lib/errors/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";

const MB = 1024 * 1024;
const auth = staticAuth("tenant:test", { Authorization: "Bearer t-x" });

function scripted(answer: (path: string, req: Request) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const fetcher = (async (input: Request | URL | string, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push(req.clone());
    return await answer(new URL(req.url).pathname, req);
  }) as typeof fetch;
  const http = new LarkHttp({ baseUrl: "http://127.0.0.1:9", auth, retry: { retries: 0 }, fetch: fetcher });
  return { media: new MediaApi(http, { auth, fetch: fetcher }), seen };
}

const input = { fileName: "a.bin", parentType: "docx_file" as const, parentNode: "doxcnBlock1" };

Deno.test("media upload: a bad file argument is refused before any request", async () => {
  const { media, seen } = scripted(() => Response.json({ code: 0, data: { file_token: "boxcn1" } }));
  const dir = await Deno.makeTempDir();
  try {
    const field = (e: unknown) => e instanceof ParamError && e.field === "file";
    await assert.rejects(media.upload({ ...input, file: 42 as unknown as string }), field);
    await assert.rejects(
      media.upload({ ...input, file: dir }),
      (e) => field(e) && /不是文件/.test(String((e as Error).message + (e as ParamError).hint)),
    );
    await assert.rejects(media.upload({ ...input, file: `${dir}/missing.bin` }), field);
    await assert.rejects(media.upload({ ...input, file: new Uint8Array() }), field);
    assert.equal(seen.length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("media upload: an answer without file_token is a typed error; extra is sent with the form", async () => {
  const { media, seen } = scripted(() => Response.json({ code: 0, msg: "success", data: {} }));
  await assert.rejects(
    media.upload({ ...input, file: new Uint8Array([1, 2, 3]), extra: '{"drive_route_token":"x"}' }),
    (e) => e instanceof LarkError && /file_token/.test(e.hint),
  );
  const form = await seen[0].formData();
  assert.equal(form.get("extra"), '{"drive_route_token":"x"}');
  assert.equal(form.get("size"), "3");
});

Deno.test("media upload in parts: a block count that disagrees with the size is refused before any part", async () => {
  const { media, seen } = scripted((path) =>
    path.endsWith("/upload_prepare")
      ? Response.json({ code: 0, data: { upload_id: "u1", block_size: 4 * MB, block_num: 99 } })
      : Response.json({ code: 0, data: {} })
  );
  await assert.rejects(
    media.upload({ ...input, file: new Uint8Array(21 * MB) }),
    (e) => e instanceof LarkError && /分片数/.test(e.hint),
  );
  assert.deepEqual(seen.map((r) => new URL(r.url).pathname.split("/").pop()), ["upload_prepare"]);
});
