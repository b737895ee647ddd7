import assert from "node:assert/strict";
import { buildXlsx } from "../../lib/excel/write_xlsx.ts";
import { readTable } from "../../lib/excel/read_table.ts";
import { readTableIsolated } from "../../lib/excel/read_table_isolated.ts";

Deno.test("readTableIsolated: the same table as readTable, parsed in a worker without permissions", async () => {
  const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
  const bytes = buildXlsx([{
    name: "s",
    columns: ["contract_number", "n", "when"],
    rows: [{ contract_number: "HT-1", n: 3, when }, { contract_number: "HT-2", n: null, when: null }],
  }]);
  const isolated = await readTableIsolated(bytes);
  assert.deepEqual(isolated, readTable(bytes));
  assert.ok(isolated.rows[0].when instanceof Date, "dates survive the worker boundary");
  const csv = await readTableIsolated(new TextEncoder().encode("contract_number\nHT-9\n"));
  assert.deepEqual(csv.rows, [{ contract_number: "HT-9" }]);
});
