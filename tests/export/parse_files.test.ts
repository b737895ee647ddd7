import assert from "node:assert/strict";
import { buildXlsx } from "../../lib/excel/write_xlsx.ts";
import { FileParser, type ParseOptions } from "../../pipelines/export/parse_files.ts";

const STATS_ONLY: ParseOptions = {
  dateColumns: [],
  requiredColumns: [],
  windowDateColumn: "",
  tzOffsetMinutes: 0,
  keepRows: false,
};

Deno.test("FileParser: one read-only worker parses downloads one by one and cannot read elsewhere", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-parser-" });
  const other = await Deno.makeTempDir({ prefix: "export-parser-other-" });
  const parser = new FileParser([dir]);
  try {
    const xlsx = (n: number) =>
      buildXlsx([{
        name: "s",
        columns: ["记录ID"],
        rows: Array.from({ length: n }, (_, i) => ({ 记录ID: `R${i}` })),
      }]);
    await Deno.writeFile(`${dir}/a.xlsx`, xlsx(3));
    await Deno.writeFile(`${dir}/b.xlsx`, xlsx(5));
    await Deno.writeFile(`${other}/c.xlsx`, xlsx(1));
    const at = (path: string) => ({ path, start: "2024-01-01", end: "2024-01-01" });
    const [a, b] = await Promise.all([
      parser.parse(at(`${dir}/a.xlsx`), STATS_ONLY),
      parser.parse(at(`${dir}/b.xlsx`), STATS_ONLY),
    ]);
    assert.deepEqual([a.stats?.rows, b.stats?.rows], [3, 5]);
    assert.deepEqual(a.stats?.headers, ["记录ID"]);
    const outside = await parser.parse(at(`${other}/c.xlsx`), STATS_ONLY);
    assert.equal(outside.stats, undefined);
    assert.match(outside.error!, /read access|NotCapable|Requires/i);
    parser.close();
    // A closed parser starts a fresh worker on the next file.
    assert.equal((await parser.parse(at(`${dir}/a.xlsx`), STATS_ONLY)).stats?.rows, 3);
  } finally {
    parser.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(other, { recursive: true });
  }
});
