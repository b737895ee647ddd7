/**
 * Two small CLI helpers: the plain progress lines (what a log file or a
 * non-terminal sees: done/total, rate, ETA in Chinese, at most one line per
 * interval) and the `.env` reader (comments, `export`, quotes, escapes, BOM).
 */
import assert from "node:assert/strict";
import { createProgress, formatSeconds } from "../../lib/cli/progress.ts";
import { parseDotenv, readDotenv } from "../../lib/config/dotenv.ts";

Deno.test("progress (plain): a line per interval and at the end, with rate and a Chinese ETA", () => {
  let t = 1_000_000;
  const lines: string[] = [];
  const p = createProgress({
    total: 100,
    label: "合同",
    plain: true,
    intervalSec: 5,
    now: () => t,
    write: (l) => lines.push(l),
  });
  t += 1000;
  p.update(0);
  assert.deepEqual(lines, ["合同进度 0/100，0.0/秒"], "no ETA before anything is done");
  t += 1000;
  p.update(10); // within the interval: no line
  assert.equal(lines.length, 1);
  t += 8000;
  p.update(50);
  assert.equal(lines[1], "合同进度 50/100，5.0/秒，剩余约 10秒");
  t += 100;
  p.update(50, 400); // the total grew; still within the interval
  assert.equal(lines.length, 2);
  t += 100;
  p.update(400); // done: always shown
  assert.match(lines[2], /^合同进度 400\/400，39\.2\/秒，剩余约 0秒$/);
  t += 10_000;
  p.update(400); // the same count again is not repeated
  assert.equal(lines.length, 3);
  p.stop();
});

Deno.test("formatSeconds: seconds, minutes and hours in Chinese", () => {
  assert.equal(formatSeconds(0), "0秒");
  assert.equal(formatSeconds(59), "59秒");
  assert.equal(formatSeconds(75), "1分15秒");
  assert.equal(formatSeconds(3600), "1小时0分");
  assert.equal(formatSeconds(7325), "2小时2分");
});

Deno.test("parseDotenv: comments, export, quotes, escapes, inline comments, BOM and junk lines", () => {
  const env = parseDotenv(
    "\uFEFF# a comment\n" +
      "PLAIN=value\r\n" +
      "export EXPORTED = spaced value   # trailing comment\n" +
      'DOUBLE="line1\\nline2 \\"quoted\\"" ignored\n' +
      "SINGLE='keep \\n as is' ignored\n" +
      'OPEN="no closing quote\n' +
      "EMPTY=\n" +
      "not a pair\n" +
      "1BAD=x\n" +
      "HASH=a#b\n",
  );
  assert.deepEqual(env, {
    PLAIN: "value",
    EXPORTED: "spaced value",
    DOUBLE: 'line1\nline2 "quoted"',
    SINGLE: "keep \\n as is",
    OPEN: "no closing quote",
    EMPTY: "",
    HASH: "a#b",
  });
});

Deno.test("readDotenv: a missing file is empty; a directory is an error, not an empty map", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await readDotenv(`${dir}/.env`), {});
    await Deno.writeTextFile(`${dir}/.env`, "PERSONAL_BASE_TOKEN=pt-1\n");
    assert.deepEqual(await readDotenv(`${dir}/.env`), { PERSONAL_BASE_TOKEN: "pt-1" });
    await assert.rejects(readDotenv(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
