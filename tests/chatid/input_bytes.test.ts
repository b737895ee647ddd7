/**
 * The chatid input reader's refusals, each a BadRequestError (exit 2) with a
 * Chinese hint: a missing file, a directory, a file too large to be a list
 * (sparse, so nothing big is written), a zip posing as text, broken UTF-16.
 */
import assert from "node:assert/strict";
import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import { decodeInputText, MAX_INPUT_BYTES, readInputBytes } from "../../pipelines/chatid/_input_bytes.ts";

const refused = (hint: RegExp) => (e: unknown) => e instanceof BadRequestError && hint.test(e.hint);

Deno.test("readInputBytes: missing, a directory, too large — each refused with what is wrong", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(readInputBytes(`${dir}/none.txt`), refused(/找不到输入文件/));
    await assert.rejects(readInputBytes(dir, "合同编号文件"), refused(/合同编号文件 .* 不是文件（是目录）/));
    const big = await Deno.open(`${dir}/big.txt`, { create: true, write: true });
    await big.truncate(MAX_INPUT_BYTES + 1); // sparse: no disk used
    big.close();
    await assert.rejects(readInputBytes(`${dir}/big.txt`), refused(/过大（64 MB，上限 64 MB）/));
    await Deno.writeTextFile(`${dir}/ok.txt`, "HT-1\n");
    assert.equal(new TextDecoder().decode(await readInputBytes(`${dir}/ok.txt`)), "HT-1\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decodeInputText: a zip is not text; broken UTF-16 is refused; UTF-16 without a BOM is read", () => {
  const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x08, 0, 0, 0]);
  assert.throws(() => decodeInputText(zip, "list.txt"), refused(/xlsx\/zip 压缩文件/));
  // A lone high surrogate after a BOM: not valid UTF-16.
  assert.throws(
    () => decodeInputText(new Uint8Array([0xff, 0xfe, 0x00, 0xd8]), "u.txt"),
    refused(/UTF-16 文本，但内容不完整/),
  );
  const be = new Uint8Array([..."HT-1\n"].flatMap((c) => [0, c.charCodeAt(0)]));
  assert.equal(decodeInputText(be, "be.txt"), "HT-1\n");
  assert.equal(decodeInputText(new Uint8Array([0xfe, 0xff, 0, 0x41]), "bom.txt"), "A");
});
