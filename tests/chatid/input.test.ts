import assert from "node:assert/strict";
import { buildXlsx } from "../../lib/excel/write_xlsx.ts";
import { parseContractText, readContractFile } from "../../pipelines/chatid/input.ts";

Deno.test("parseContractText: BOM, CRLF, blanks, comments, full-width spaces, duplicates", () => {
  const text = "\uFEFFHT-1\r\n\r\n# 注释\r\n  HT-2  \r\n\u3000HT-3\u3000\r\nHT-1\r\n   \r\nHT-2\r\n";
  const r = parseContractText(text);
  assert.deepEqual(r.numbers, ["HT-1", "HT-2", "HT-3"]);
  assert.equal(r.blank, 2);
  assert.equal(r.comments, 1);
  assert.equal(r.duplicates, 2);
});

Deno.test("parseContractText: LF only, no trailing newline, CR-only lines", () => {
  assert.deepEqual(parseContractText("A\nB").numbers, ["A", "B"]);
  assert.deepEqual(parseContractText("A\rB\r").numbers, ["A", "B"]);
  assert.equal(parseContractText("A\n\nB\n").blank, 1);
});

Deno.test("parseContractText: a # inside a value is kept, only leading # is a comment", () => {
  const r = parseContractText("HT#1\n#HT2\n");
  assert.deepEqual(r.numbers, ["HT#1"]);
  assert.equal(r.comments, 1);
});

Deno.test("readContractFile: xlsx and csv with a contract_number column", async () => {
  const dir = await Deno.makeTempDir();
  const xlsx = `${dir}/in.xlsx`;
  await Deno.writeFile(
    xlsx,
    buildXlsx([{
      name: "s",
      columns: ["name", "contract_number"],
      rows: [{ name: "a", contract_number: " HT-9 " }, { name: "b", contract_number: "HT-8" }, {
        name: "c",
        contract_number: "HT-9",
      }],
    }]),
  );
  const r = await readContractFile(xlsx);
  assert.deepEqual(r.numbers, ["HT-9", "HT-8"]);
  assert.equal(r.duplicates, 1);

  const csv = `${dir}/in.csv`;
  await Deno.writeTextFile(csv, "\uFEFFcontract_number,x\r\nHT-1,1\r\nHT-2,2\r\n");
  assert.deepEqual((await readContractFile(csv)).numbers, ["HT-1", "HT-2"]);

  const bad = `${dir}/bad.csv`;
  await Deno.writeTextFile(bad, "number\nHT-1\n");
  await assert.rejects(() => readContractFile(bad), (e: Error & { hint?: string }) => {
    assert.match(e.hint ?? "", /contract_number/);
    return true;
  });
  await Deno.remove(dir, { recursive: true });
});
