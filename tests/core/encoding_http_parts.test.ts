import assert from "node:assert/strict";
import { encodeHex, randomHex } from "../../lib/encoding/hex.ts";
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";
import { dispositionFileName } from "../../lib/http/content_disposition.ts";

Deno.test("hex: two lower-case digits a byte; random hex has the asked length", async () => {
  assert.equal(encodeHex(new Uint8Array([0, 9, 171, 255])), "0009abff");
  assert.equal(encodeHex(new Uint8Array([1, 2]).buffer), "0102");
  assert.match(randomHex(31), /^[0-9a-f]{31}$/);
  assert.notEqual(randomHex(32), randomHex(32));
  // FIPS 180-2 test vector.
  assert.equal(await sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(await sha256Hex(new TextEncoder().encode("abc")), await sha256Hex("abc"));
});

Deno.test("content-disposition: RFC 5987 name first, then quoted or bare names", () => {
  const cases: [string | null, string | undefined][] = [
    [`attachment; filename="a.xlsx"; filename*=UTF-8''%E5%8D%8F%E5%90%8C.xlsx`, "协同.xlsx"],
    [`attachment; filename*=utf-8'zh'%E5%8D%8F.mp4`, "协.mp4"],
    [`attachment; filename*=ISO-8859-1''caf%E9.txt`, "café.txt"],
    // A malformed extended value falls back to the plain name.
    [`attachment; filename*=UTF-8''%E5%ZZ; filename="plain.xlsx"`, "plain.xlsx"],
    [`attachment; filename="plain name.xlsx"`, "plain name.xlsx"],
    [`attachment; filename="say \\"hi\\".txt"`, `say "hi".txt`],
    ["attachment; filename=bare.xlsx", "bare.xlsx"],
    ["attachment", undefined],
    ['attachment; filename=""', undefined],
    [null, undefined],
  ];
  for (const [header, name] of cases) assert.equal(dispositionFileName(header), name, String(header));
});
