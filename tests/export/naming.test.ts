import assert from "node:assert/strict";
import {
  renderFileName,
  sanitizeFileName,
  templateProblem,
  uniqueName,
} from "../../pipelines/export/naming.ts";

Deno.test("naming: placeholders render", () => {
  const v = { start: "2022-01-01", end: "2022-01-07", index: 7, rows: 312 };
  assert.equal(
    renderFileName("合同协同_{start:YYYYMMDD}-{end:YYYYMMDD}.xlsx", v),
    "合同协同_20220101-20220107.xlsx",
  );
  assert.equal(renderFileName("{start:YYYY-MM-DD}_{end:YYYY-MM-DD}.xlsx", v), "2022-01-01_2022-01-07.xlsx");
  assert.equal(renderFileName("w{index}_{rows}行_{start}.xlsx", v), "w007_312行_20220101.xlsx");
});

Deno.test("naming: illegal characters, trailing dots and reserved names", () => {
  assert.equal(sanitizeFileName('a<b>c:d"e/f\\g|h?i*j\u0001.xlsx'), "a_b_c_d_e_f_g_h_i_j_.xlsx");
  assert.equal(sanitizeFileName("报表. . "), "报表");
  assert.equal(sanitizeFileName("CON.xlsx"), "CON_.xlsx"); // the project-wide convention (lib/fs/safe_name.ts)
  assert.equal(sanitizeFileName("..."), "___"); // leading dots never survive (no hidden files)
  assert.equal(
    renderFileName("合同:{start}?.xlsx", { start: "2022-01-01", end: "2022-01-01" }),
    "合同_20220101_.xlsx",
  );
});

Deno.test("naming: collisions get a numbered suffix", () => {
  const taken = new Set(["a.xlsx", "a (2).xlsx"]);
  assert.equal(uniqueName("a.xlsx", (n) => taken.has(n)), "a (3).xlsx");
  assert.equal(uniqueName("b.xlsx", (n) => taken.has(n)), "b.xlsx");
});

Deno.test("naming: templates are checked", () => {
  assert.equal(templateProblem("合同协同_{start:YYYYMMDD}-{end:YYYYMMDD}.xlsx"), undefined);
  assert.match(templateProblem("{start:DD}.xlsx")!, /日期格式/);
  assert.match(templateProblem("{foo}.xlsx")!, /不支持/);
  assert.match(templateProblem("{start.xlsx")!, /花括号/);
  assert.match(templateProblem("a/{start}.xlsx")!, /目录/);
  assert.match(templateProblem("{start}.csv")!, /\.xlsx/);
});
