/**
 * Fuzz pass over the chatid input reader: random bytes, encodings, BOMs,
 * line ends, NULs, huge lines, under every extension. Each input either
 * parses into plausible, unique numbers or is refused with a
 * `BadRequestError` carrying a Chinese hint: never another exception.
 */
import assert from "node:assert/strict";
import { buildXlsx } from "../../lib/excel/write_xlsx.ts";
import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import { formatImplausible, implausibleReason } from "../../pipelines/chatid/contract_number_shape.ts";
import { readContractFile } from "../../pipelines/chatid/input.ts";
import { Prng } from "../../sandbox/_prng.ts";
import { fuzzCases, sized } from "../_test_size.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20261205);
/** 300 cases in the full suite, 60 in the quick set (`FEISHU_KIT_FUZZ_CASES` overrides). */
const CASES = fuzzCases(300, 60);
/** Lines of the many-lines file: a million in the full suite. */
const MANY = sized(1_000_000, 100_000);

function prng(seed: number): () => number {
  const p = new Prng(seed);
  return () => p.next();
}

const PIECES = [
  "HT-2024-000123",
  "CG20240101001",
  "合同-2024-7",
  "\uFEFF",
  "\u3000",
  " ",
  "\t",
  "#",
  "\r\n",
  "\n",
  "\r",
  "\u0000",
  "\u0007",
  "\ufffd",
  "😀",
  "é",
  "<",
  ">",
  '"',
  ",",
  "contract_number",
  "合同编号",
  "\u200b",
  "\ud800",
  "9".repeat(70),
  "a\u0301",
  "١٢٣",
];

function randomText(r: () => number): string {
  const parts: string[] = [];
  const n = Math.floor(r() * 40);
  for (let i = 0; i < n; i++) parts.push(PIECES[Math.floor(r() * PIECES.length)]);
  return parts.join("");
}

function encode(text: string, how: number): Uint8Array {
  const utf8 = new TextEncoder().encode(text);
  const utf16 = (be: boolean) => {
    const out = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      out[2 * i + (be ? 1 : 0)] = c & 0xff;
      out[2 * i + (be ? 0 : 1)] = c >> 8;
    }
    return out;
  };
  switch (how) {
    case 0:
      return utf8;
    case 1:
      return new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
    case 2:
      return new Uint8Array([0xff, 0xfe, ...utf16(false)]);
    case 3:
      return new Uint8Array([0xfe, 0xff, ...utf16(true)]);
    case 4:
      return utf16(false);
    default: {
      // UTF-8 with a few bytes flipped (truncated sequences, stray continuation bytes).
      const b = utf8.slice();
      for (let i = 0; i < 3 && b.length; i++) b[(how * 7919 + i * 104729) % b.length] ^= 0x80;
      return b;
    }
  }
}

async function check(path: string, label: string): Promise<"parsed" | "refused"> {
  try {
    const r = await readContractFile(path);
    assert.equal(new Set(r.numbers).size, r.numbers.length, `${label}: unique`);
    for (const n of r.numbers) {
      assert.equal(implausibleReason(n), undefined, `${label}: ${JSON.stringify(n)} is plausible`);
    }
    for (const line of formatImplausible(r.implausible ?? [])) {
      assert.doesNotMatch(
        line,
        // deno-lint-ignore no-control-regex
        /[\u0000-\u0008\u000b-\u001f\u007f]/,
        `${label}: listing shows no raw control chars`,
      );
    }
    return "parsed";
  } catch (e) {
    assert.ok(e instanceof BadRequestError, `${label}: unexpected ${e instanceof Error ? e.stack : e}`);
    assert.match(e.hint, /[\u4e00-\u9fff]/, `${label}: Chinese hint`);
    return "refused";
  }
}

Deno.test(`fuzz: the chatid input reader never throws anything but a usage error (seed ${SEED}, ${CASES} cases)`, async () => {
  const r = prng(SEED);
  const dir = await Deno.makeTempDir({ prefix: "chatid-fuzz-" });
  const tally = { parsed: 0, refused: 0 };
  try {
    for (let i = 0; i < CASES; i++) {
      const ext = [".txt", ".csv", ".xlsx", ".xls", ""][i % 5];
      const kind = Math.floor(r() * 4);
      let bytes: Uint8Array;
      if (kind === 0) bytes = crypto.getRandomValues(new Uint8Array(Math.floor(r() * 2048)));
      else if (kind === 1 && ext === ".xlsx") {
        const rows = Array.from({ length: 5 }, () => ({ contract_number: randomText(r) }));
        bytes = buildXlsx([{ name: "s", columns: ["contract_number"], rows }]);
        if (r() < 0.5) bytes = bytes.subarray(0, Math.floor(bytes.length * r())); // torn workbook
      } else {
        const text = (ext === ".csv" ? "contract_number\r\n" : "") + randomText(r);
        bytes = encode(text, Math.floor(r() * 7));
      }
      const path = `${dir}/f${i}${ext}`;
      await Deno.writeFile(path, bytes);
      tally[await check(path, `case ${i} (${ext || "no ext"}, kind ${kind})`)]++;
    }
    // Huge lines: one 8 MB line, and a million short ones (100 000 in the quick set).
    await Deno.writeTextFile(`${dir}/huge.txt`, "HT-" + "1".repeat(8 * 1024 * 1024));
    const huge = await readContractFile(`${dir}/huge.txt`);
    assert.deepEqual(huge.numbers, []);
    assert.match(huge.implausible![0].reason, /过长/);
    assert.ok(formatImplausible(huge.implausible!)[1].length < 200, "a huge value is shown cut");
    const many = Array.from({ length: MANY }, (_, i) => `HT-${i}`).join("\r\n");
    await Deno.writeTextFile(`${dir}/many.txt`, many);
    assert.equal((await readContractFile(`${dir}/many.txt`)).numbers.length, MANY);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  console.log(`fuzz: ${tally.parsed} parsed, ${tally.refused} refused`);
  const least = Math.floor(CASES / 10);
  assert.ok(
    tally.parsed > least && tally.refused > least,
    `both outcomes exercised: ${JSON.stringify(tally)}`,
  );
});
