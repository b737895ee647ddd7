import assert from "node:assert/strict";
import { join } from "node:path";
import { containedPath, safeSegments } from "../../lib/fs/contained_path.ts";
import { isInside } from "../../lib/fs/user_dirs.ts";
import { firstFreeName, sanitizeFileName, utf8Length } from "../../lib/fs/safe_name.ts";
import { BadRequestError } from "../../lib/errors/mod.ts";

Deno.test("safe path: traversal segments are neutralised, both separators split", () => {
  assert.deepEqual(safeSegments("../../etc/", "passwd"), ["__", "__", "etc", "passwd"]);
  assert.deepEqual(safeSegments("A\\..\\B/./", "x.pdf"), ["A", "__", "B", "x.pdf"]);
  assert.deepEqual(safeSegments("C:\\Windows", "a.txt"), ["C_", "Windows", "a.txt"]);
  assert.deepEqual(safeSegments(null, ".."), ["__"]);
  assert.deepEqual(safeSegments("", "/etc/passwd"), ["_etc_passwd"]);
});

Deno.test("safe path: reserved names, illegal characters, trailing dots and spaces", () => {
  assert.deepEqual(safeSegments("CON/", "NUL.txt"), ["CON_", "NUL_.txt"]);
  assert.equal(sanitizeFileName("com1.tar.gz"), "com1_.tar.gz");
  assert.equal(sanitizeFileName('报<告>:"a|b?*.pdf'), "报_告___a_b__.pdf");
  assert.equal(sanitizeFileName("名字. . ."), "名字");
  assert.equal(sanitizeFileName("a\tb\nc.txt"), "a b c.txt");
});

Deno.test("safe path: long names are bounded in bytes and keep the extension", () => {
  const long = "附件".repeat(200) + ".docx";
  const out = sanitizeFileName(long);
  assert.ok(utf8Length(out) <= 240, `${utf8Length(out)} bytes`);
  assert.ok(out.endsWith(".docx"));
  assert.ok(out.startsWith("附件附件"));
});

Deno.test("safe path: collisions get a suffix before the extension", async () => {
  const taken = new Set(["a.pdf", "a (2).pdf"]);
  assert.equal(await firstFreeName("a.pdf", (n) => taken.has(n)), "a (3).pdf");
  assert.equal(await firstFreeName("b.pdf", (n) => taken.has(n)), "b.pdf");
});

Deno.test("safe path: containment is a real path check, not a string prefix", async () => {
  const root = await Deno.makeTempDir();
  try {
    assert.equal(isInside("/out/job", "/out/job2/x"), false);
    assert.equal(isInside("/out/job", "/out/job/x"), true);
    assert.equal(await containedPath(root, ["A", "b.txt"]), join(root, "A", "b.txt"));
    await assert.rejects(() => containedPath(root, ["..", "x"]), BadRequestError);
    await assert.rejects(() => containedPath(root, []), BadRequestError);
    // A symlink inside the job folder pointing outside is refused.
    const outside = await Deno.makeTempDir();
    await Deno.symlink(outside, join(root, "link"));
    await assert.rejects(() => containedPath(root, ["link", "x.txt"]), BadRequestError);
    await Deno.remove(outside, { recursive: true });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
