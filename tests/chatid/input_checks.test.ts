import assert from "node:assert/strict";
import { buildXlsx } from "../../lib/excel/write_xlsx.ts";
import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import {
  DEFAULT_NUMBER_PATTERN,
  formatImplausible,
  implausibleReason,
} from "../../pipelines/chatid/contract_number_shape.ts";
import { readContractFile } from "../../pipelines/chatid/input.ts";
import { readChatIdExcel } from "../../pipelines/chatid/output.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "chatid-input-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function refusal(p: Promise<unknown>, hint: RegExp): Promise<void> {
  const e = await p.then(() => undefined, (e) => e);
  assert.ok(e instanceof BadRequestError, `expected BadRequestError, got ${e}`);
  assert.match(e.hint, hint);
}

Deno.test("shape: real-looking numbers pass; headers, pasted columns, binary and long lines do not", () => {
  for (
    const ok of [
      "HT-2024-000123",
      "CG20240101001",
      "采购-2024-001",
      "HT/2024/(A)12",
      "合同【2024】第12号",
      "١٢٣",
    ]
  ) {
    assert.equal(implausibleReason(ok), undefined, ok);
  }
  assert.match(implausibleReason("contract_number")!, /不含数字/);
  assert.match(implausibleReason("合同编号")!, /不含数字/);
  assert.match(implausibleReason("HT-1\tAcme")!, /空白/);
  assert.match(implausibleReason("HT-1 Acme Ltd")!, /空白/);
  assert.match(implausibleReason("HT\u0001\u0002")!, /控制字符/);
  assert.match(implausibleReason("PK\ufffd\ufffd1")!, /控制字符或乱码/);
  assert.match(implausibleReason("9".repeat(65))!, /过长（65 个字符，上限 64）/);
  assert.match(implausibleReason("<html>1")!, /不允许的字符「<」/);
  // Configurable: a stricter pattern, longer numbers, no digit required.
  assert.match(implausibleReason("CG-1", { pattern: "^HT-\\d+$" })!, /input\.number_pattern/);
  assert.equal(implausibleReason("9".repeat(80), { maxLength: 100 }), undefined);
  assert.equal(implausibleReason("ABC", { requireDigit: false }), undefined);
  assert.match(implausibleReason("HT-1", { pattern: "([" })!, /不是合法的正则表达式/);
  assert.ok(new RegExp(DEFAULT_NUMBER_PATTERN, "u").test("HT-2024-000123"));
});

Deno.test("implausible values are listed with line and reason, shown escaped and cut, with a count", () => {
  const items = Array.from(
    { length: 25 },
    (_, i) => ({ line: i + 1, value: `x\u0000${"y".repeat(60)}`, reason: "r" }),
  );
  const lines = formatImplausible(items);
  assert.equal(lines[0], "跳过 25 个不像合同编号的值（不会发送请求）：");
  assert.equal(lines.length, 1 + 20 + 1);
  assert.match(lines[1], /^ {2}第 1 行 "x\\u0000y+…"（共 62 个字符）：r$/);
  assert.equal(lines.at(-1), "  ……另有 5 个未列出");
});

Deno.test("readContractFile: implausible lines skipped with their line numbers; valid kept in order", async () => {
  await withDir(async (dir) => {
    const p = `${dir}/in.txt`;
    await Deno.writeTextFile(p, "contract_number\nHT-1\n\nHT-2 Acme\n# note\nHT-3\n");
    const r = await readContractFile(p);
    assert.deepEqual(r.numbers, ["HT-1", "HT-3"]);
    assert.deepEqual(r.lines, [2, 6], "lines stay parallel to the numbers kept");
    assert.deepEqual(r.implausible!.map((x) => [x.line, x.value]), [[1, "contract_number"], [
      4,
      "HT-2 Acme",
    ]]);
    assert.equal(r.blank, 1);
    assert.equal(r.comments, 1);
  });
});

Deno.test("readContractFile: a directory is 'not a file'; a missing file is named", async () => {
  await withDir(async (dir) => {
    await refusal(readContractFile(dir), /不是文件（是目录）/);
    await refusal(readContractFile(`${dir}/nope.txt`), /找不到输入文件/);
    await refusal(readChatIdExcel(dir), /上次输出文件 .* 不是文件/);
  });
});

Deno.test("readContractFile: binary, zip and non-UTF-8 text are refused and say which", async () => {
  await withDir(async (dir) => {
    const bin = `${dir}/a.bin`;
    await Deno.writeFile(
      bin,
      new Uint8Array([0x48, 0x54, 0x0a, 0x31, 0x00, 0xff, 0x10, 0x0a, 0x00, 0x00, 0x07]),
    );
    await refusal(readContractFile(bin), /不是文本文件（第 2 行含 NUL 字节/);
    const zip = `${dir}/book.txt`;
    await Deno.writeFile(zip, buildXlsx([{ name: "s", columns: ["contract_number"], rows: [] }]));
    await refusal(readContractFile(zip), /xlsx\/zip 压缩文件/);
    const gbk = `${dir}/gbk.txt`; // "HT-1\n合同" in GBK: valid bytes, not UTF-8
    await Deno.writeFile(gbk, new Uint8Array([0x48, 0x54, 0x2d, 0x31, 0x0a, 0xba, 0xcf, 0xcd, 0xac]));
    await refusal(readContractFile(gbk), /不是有效的 UTF-8 文本（第 2 行起.*GBK/);
    const badCsv = `${dir}/bad.csv`;
    await Deno.writeFile(badCsv, new Uint8Array([0x63, 0x0a, 0xff, 0xfe, 0xfd]));
    await refusal(readContractFile(badCsv), /不是有效的 UTF-8 文本/);
  });
});

Deno.test("readContractFile: UTF-16 (Windows 'Unicode' text) with or without BOM is read", async () => {
  await withDir(async (dir) => {
    const text = "HT-1\r\nHT-2\r\n合同-3\r\n";
    const le = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      le[2 * i] = text.charCodeAt(i) & 0xff;
      le[2 * i + 1] = text.charCodeAt(i) >> 8;
    }
    const be = le.slice();
    for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1], be[i]];
    for (
      const [name, bytes] of [
        ["le-bom", new Uint8Array([0xff, 0xfe, ...le])],
        ["be-bom", new Uint8Array([0xfe, 0xff, ...be])],
        ["le", le],
      ] as const
    ) {
      const p = `${dir}/${name}.txt`;
      await Deno.writeFile(p, bytes);
      assert.deepEqual((await readContractFile(p)).numbers, ["HT-1", "HT-2", "合同-3"], name);
    }
  });
});

Deno.test("readContractFile: random bytes named .xlsx are 'not a valid xlsx file', not a missing column", async () => {
  await withDir(async (dir) => {
    const p = `${dir}/in.xlsx`;
    await Deno.writeFile(p, crypto.getRandomValues(new Uint8Array(4096)));
    await refusal(readContractFile(p), /不是有效的 xlsx 文件/);
    await Deno.writeFile(
      p,
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...crypto.getRandomValues(new Uint8Array(512))]),
    );
    await refusal(readContractFile(p), /不是有效的 xlsx 文件/);
    await Deno.writeTextFile(p, "contract_number\nHT-1\n");
    await refusal(readContractFile(p), /不是有效的 xlsx 文件/);
    await refusal(readChatIdExcel(p), /不是有效的 xlsx 文件/);
    // A real workbook without the column still says what is missing.
    await Deno.writeFile(p, buildXlsx([{ name: "s", columns: ["number"], rows: [{ number: "HT-1" }] }]));
    await refusal(readContractFile(p), /缺少 contract_number 列/);
  });
});

Deno.test("readContractFile: sheet rows are checked too, numbered as rows (header = row 1)", async () => {
  await withDir(async (dir) => {
    const p = `${dir}/in.xlsx`;
    await Deno.writeFile(
      p,
      buildXlsx([{
        name: "s",
        columns: ["contract_number"],
        rows: [{ contract_number: "HT-1" }, { contract_number: "说明" }, { contract_number: 20240001 }],
      }]),
    );
    const r = await readContractFile(p);
    assert.deepEqual(r.numbers, ["HT-1", "20240001"]);
    assert.deepEqual(r.implausible!.map((x) => x.line), [3]);
  });
});

Deno.test("config: the example documents input.* with the built-in defaults", async () => {
  const { loadConfig } = await import("../../lib/config/load_config.ts");
  const { ChatIdConfigSchema } = await import("../../pipelines/chatid/config.ts");
  const { config, warnings } = await loadConfig(ChatIdConfigSchema, {
    file: "config/chatid.example.yaml",
    overrides: { "app.app_secret": "s", "clm.cookie": "session=x" },
  });
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.input, {
    number_pattern: DEFAULT_NUMBER_PATTERN,
    max_length: 64,
    require_digit: true,
  });
  const bad = await loadConfig(ChatIdConfigSchema, {
    file: "config/chatid.example.yaml",
    overrides: { "app.app_secret": "s", "clm.cookie": "session=x", "input.number_pattern": "([" },
  }).then(() => undefined, (e) => e);
  assert.match(bad?.hint ?? "", /配置项 input\.number_pattern.*不是合法的正则表达式/);
});
