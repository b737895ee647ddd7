import assert from "node:assert/strict";
import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { pickFreeName } from "../../pipelines/meeting/free_name.ts";
import { formatStamp, meetingFileName } from "../../pipelines/meeting/naming.ts";
import { graphemes, safeJoin, sanitizeFileName, suffixedName, utf8Length } from "../../lib/fs/safe_name.ts";

const START = "1768788000"; // 2026-01-19 10:00 +08:00

Deno.test("naming: 张三_周会_20260119_1000.mp4 in Asia/Shanghai; other zones move the stamp", () => {
  assert.equal(
    meetingFileName({ userName: "张三", topic: "周会", start: START }),
    "张三_周会_20260119_1000.mp4",
  );
  assert.equal(formatStamp(START, "+08:00"), "20260119_1000");
  assert.equal(formatStamp(START, "UTC"), "20260119_0200");
  assert.equal(formatStamp(START, "America/New_York"), "20260118_2100");
  assert.equal(formatStamp(1768788000, "Asia/Shanghai"), "20260119_1000");
  assert.equal(formatStamp(1768788000_000, "Asia/Shanghai"), "20260119_1000"); // ms are recognised
  assert.equal(formatStamp(new Date(Date.UTC(2026, 0, 19, 2, 0))), "20260119_1000");
  assert.throws(() => formatStamp("yesterday"), BadRequestError);
});

Deno.test("naming: illegal characters, control characters, invisible marks and path tricks are neutralised", () => {
  const name = meetingFileName({
    userName: "张三",
    topic: 'Q1/Q2 复盘: "目标" <草案> | a*b?\\c\u0000\u0007\u202egpj.exe\t\n',
    start: START,
  });
  assert.equal(name, "张三_Q1_Q2 复盘_ _目标_ _草案_ _ a_b__c__gpj.exe_20260119_1000.mp4");
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(name, /[\\/:*?"<>|\u0000-\u001f\u202e]/);
  for (const topic of ["../../etc/passwd", "..", "/abs/path", "C:\\Windows\\x"]) {
    const n = meetingFileName({ userName: "李四", topic, start: START });
    assert.ok(!n.includes("/") && !n.includes("\\"), n);
    assert.ok(safeJoin("/nas/u1", n).startsWith("/nas/u1/"), n);
  }
  assert.equal(
    meetingFileName({ userName: "李四", topic: "../../etc/passwd", start: START }),
    "李四_.._.._etc_passwd_20260119_1000.mp4",
  );
});

Deno.test("sanitize: reserved Windows names, trailing dots and spaces, hidden files, empty names", () => {
  assert.equal(sanitizeFileName("CON"), "CON_");
  assert.equal(sanitizeFileName("con.mp4"), "con_.mp4");
  assert.equal(sanitizeFileName("LPT1"), "LPT1_");
  assert.equal(sanitizeFileName("COM9.tar.gz"), "COM9_.tar.gz");
  assert.equal(sanitizeFileName("CONSOLE"), "CONSOLE");
  assert.equal(sanitizeFileName("周会. . ."), "周会");
  assert.equal(sanitizeFileName(".hidden"), "_hidden");
  assert.equal(sanitizeFileName(".."), "__");
  assert.equal(sanitizeFileName("   "), "未命名");
  assert.equal(sanitizeFileName("研发/后端:组?"), "研发_后端_组_");
  assert.equal(
    meetingFileName({ userName: "", topic: "", start: START }),
    "未知用户_未命名会议_20260119_1000.mp4",
  );
});

Deno.test("naming: long topics are cut (not the name, stamp or extension) within 120 chars and 240 bytes", () => {
  const topic = "非常长的会议主题".repeat(40);
  const n = meetingFileName({ userName: "张三", topic, start: START });
  assert.ok(graphemes(n).length <= 120);
  assert.ok(utf8Length(n) <= 240, String(utf8Length(n)));
  assert.match(n, /^张三_非常长的会议主题/);
  assert.match(n, /_20260119_1000\.mp4$/);
  // 240 bytes binds first for Chinese: 3 bytes a character.
  assert.ok(utf8Length(n) > 230);
  const ascii = meetingFileName({ userName: "Zhang San", topic: "x".repeat(500), start: START });
  assert.equal(graphemes(ascii).length, 120);
  // Emoji (multi-code-point) are never split.
  const emoji = meetingFileName({ userName: "张三", topic: "👨‍👩‍👧".repeat(100), start: START });
  assert.ok(utf8Length(emoji) <= 240);
  assert.ok(!emoji.includes("\ufffd"));
  assert.equal(emoji.replace(/^张三_/, "").replace(/_20260119_1000\.mp4$/, "").replaceAll("👨‍👩‍👧", ""), "");
  // A very long name with an empty topic still fits.
  const longName = meetingFileName({ userName: "名".repeat(300), topic: "", start: START });
  assert.ok(utf8Length(longName) <= 240);
  assert.match(longName, /_20260119_1000\.mp4$/);
});

Deno.test("naming: custom templates and bounds; unknown placeholders are a ConfigError", () => {
  const n = meetingFileName(
    { userName: "王五", topic: "评审", start: START, userId: "u9" },
    { template: "{YYYYMMDD}-{HHMM} {会议主题} ({user_id})", timeZone: "UTC", maxChars: 60 },
  );
  assert.equal(n, "20260119-0200 评审 (u9).mp4");
  assert.throws(
    () => meetingFileName({ userName: "a", topic: "b", start: START }, { template: "{姓名}_{部门}" }),
    (e) => e instanceof ConfigError && /\{部门\}/.test(e.hint),
  );
});

Deno.test("free name: collisions get (2), (3)…; a same-size file or the job's own name is reused", async () => {
  const dir = await Deno.makeTempDir();
  const name = "张三_周会_20260119_1000.mp4";
  const first = await pickFreeName(dir, name, { size: 5 });
  assert.deepEqual(first, { name, path: `${dir}/${name}`, existing: false });
  await Deno.writeFile(first.path, new Uint8Array(3)); // someone else's, 3 bytes
  const second = await pickFreeName(dir, name, { size: 5 });
  assert.equal(second.name, "张三_周会_20260119_1000 (2).mp4");
  assert.equal(second.existing, false);
  await Deno.writeFile(second.path, new Uint8Array(5)); // ours from a previous run
  const again = await pickFreeName(dir, name, { size: 5 });
  assert.deepEqual(again, { ...second, existing: true });
  const third = await pickFreeName(dir, name, { size: 7 });
  assert.equal(third.name, "张三_周会_20260119_1000 (3).mp4");
  // The name the job recorded wins, whatever the collision order.
  const own = await pickFreeName(dir, name, { size: 5, ownName: second.name });
  assert.equal(own.name, second.name);
  assert.equal(own.existing, true);
  // Never outside the folder.
  await assert.rejects(() => pickFreeName(dir, "../x.mp4"), BadRequestError);
  await assert.rejects(() => pickFreeName(dir, "a", { ownName: "../../etc/passwd" }), BadRequestError);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("free name: a suffix keeps the length bounds", () => {
  const long = "长".repeat(76) + ".mp4"; // 232 bytes
  const s = suffixedName(long, 12);
  assert.ok(utf8Length(s) <= 240, String(utf8Length(s)));
  assert.match(s, / \(12\)\.mp4$/);
  assert.equal(suffixedName("a.mp4", 1), "a.mp4");
});

Deno.test("safeJoin: refuses separators, dot names and empty names", () => {
  assert.equal(safeJoin("/nas/u1", "a.mp4"), "/nas/u1/a.mp4");
  for (const bad of ["", ".", "..", "a/b", "a\\b", "/etc/passwd", "x\u0000y"]) {
    assert.throws(() => safeJoin("/nas/u1", bad), BadRequestError, JSON.stringify(bad));
  }
});
