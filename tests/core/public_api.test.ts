/** The public `mod.ts` exports the library, not the test helpers (those live in lib/testing). */
import assert from "node:assert/strict";
import * as publicApi from "../../mod.ts";
import * as testing from "../../lib/testing/mod.ts";

Deno.test("mod.ts: no test-only helpers (event encryption, frame codec, fake clock)", () => {
  for (const name of ["encryptEvent", "encodeFrame", "decodeFrame", "frameHeader", "FakeClock"]) {
    assert.equal(name in publicApi, false, `${name} must not be public`);
    assert.equal(name in testing, true, `${name} is in lib/testing`);
  }
  assert.equal(typeof publicApi.decryptEvent, "function", "decryption stays public");
});
