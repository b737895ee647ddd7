import assert from "node:assert/strict";
import { readTable } from "../../lib/excel/read_table.ts";
import { exportUsers, USER_EXPORT_COLUMNS, usersCsv } from "../../pipelines/meeting/users_export.ts";

const ROWS = [
  { user_id: "u2", name: "李四", email: "li@x.cn", departments: ["研发部", { name: "前端组" }] },
  { user_id: "u1", name: "张三", email: "zhang@x.cn", departments: ["市场部"] },
  { user_id: "u3", name: '=HYPERLINK("http://evil")', departments: [] },
  { user_id: "u4", name: "王五, Jr.", email: undefined, departments: ['研发"部'] },
];

Deno.test("users export: CSV has a BOM, CRLF, quoting and formula guarding", () => {
  const bytes = usersCsv(ROWS);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes); // the decoder drops the BOM
  const lines = text.split("\r\n");
  assert.equal(lines[0], "user_id,姓名,邮箱,部门,文件夹");
  assert.equal(lines.at(-1), "");
  assert.ok(lines.includes("u2,李四,li@x.cn,研发部；前端组,"));
  assert.ok(lines.includes(`u3,"'=HYPERLINK(""http://evil"")",,,`));
  assert.ok(lines.includes(`u4,"王五, Jr.",,"研发""部",`));
  assert.equal(lines.length, 6);
});

Deno.test("users export: xlsx and csv files read back with the same rows", async () => {
  const dir = await Deno.makeTempDir();
  const x = await exportUsers(ROWS, `${dir}/out/users.xlsx`);
  assert.deepEqual(x, { path: `${dir}/out/users.xlsx`, format: "xlsx", rows: 4 });
  const c = await exportUsers(ROWS, `${dir}/users.csv`);
  assert.equal(c.format, "csv");
  for (const path of [x.path, c.path]) {
    const t = readTable(await Deno.readFile(path));
    assert.deepEqual(t.headers.map((h) => h.replace(/^\ufeff/, "")), [...USER_EXPORT_COLUMNS]);
    const byId = new Map(t.rows.map((r) => [String(r[t.headers[0]]), r]));
    assert.equal(byId.size, 4);
    assert.equal(byId.get("u1")!["姓名"], "张三");
    assert.equal(byId.get("u2")!["部门"], "研发部；前端组");
    assert.equal(byId.get("u4")!["姓名"], "王五, Jr.");
  }
  await assert.rejects(() => Deno.stat(`${dir}/users.csv.part`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});
