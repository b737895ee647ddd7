/**
 * The README's examples for lib/bitable and lib/sheets run as written against
 * the sandbox: each `// 示例：lib/<module>` block is turned into a module whose
 * free `http` is a LarkHttp pointed at the sandbox.
 */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { bitableFamily } from "../../sandbox/bitable/store.ts";
import { sheetsFamily } from "../../sandbox/sheets/store.ts";
import { token, withSandbox } from "../sandbox/_helpers.ts";

const ROOT = new URL("../../", import.meta.url);

/** The README block whose first line is `// 示例：lib/<name>…`. */
async function example(name: string): Promise<string> {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
    .find((b) => b.startsWith(`// 示例：lib/${name}`));
  assert.ok(block, `README has the lib/${name} example`);
  return block;
}

/** Run an example with `http` bound; returns what it logged. */
async function run(code: string, http: LarkHttp): Promise<unknown[][]> {
  const lines = code.split("\n");
  const imports = lines.filter((l) => l.startsWith("import ")).map((l) =>
    l.replace('"./mod.ts"', JSON.stringify(new URL("mod.ts", ROOT).href))
  );
  const body = lines.filter((l) => !l.startsWith("import ")).join("\n");
  const source = `${imports.join("\n")}\nexport async function run(http, console) {\n${body}\n}\n`;
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/example.ts`;
    await Deno.writeTextFile(file, source);
    const mod = await import(new URL(`file://${file}`).href);
    const logged: unknown[][] = [];
    await mod.run(http, { log: (...a: unknown[]) => logged.push(a) });
    return logged;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("README: the lib/bitable and lib/sheets examples run against the sandbox", async () => {
  await withSandbox({}, async ({ sandbox, url }) => {
    const base = bitableFamily(sandbox.state);
    base.createTable("appDemo01", "tblDemo01", ["名称", "数量"]);
    sheetsFamily(sandbox.state).createSpreadsheet("shtcnDemo01", ["0b12cd"]);
    const auth = staticAuth("tenant:test", { Authorization: `Bearer ${await token(url)}` });
    const http = new LarkHttp({ baseUrl: url, auth, retry: { baseMs: 1, capMs: 4 } });

    const logged = await run(await example("bitable"), http);
    assert.deepEqual(logged[0], ["写入 2500 条，失败批次 0"]);
    assert.deepEqual(logged.slice(1).map((l) => (l[1] as Record<string, unknown>).数量), [2499, 2498]);
    assert.equal(base.table("appDemo01", "tblDemo01")!.records.size, 2500);
    assert.equal(sandbox.journal.filter("bitable_batch_create").length, 3);

    const out = await run(await example("sheets"), http);
    assert.deepEqual(out, [[[["姓名", "部门"], ["张三", "研发"], ["李四", "销售"]]]]);
    const sheet = sheetsFamily(sandbox.state).sheet("shtcnDemo01", "0b12cd")!;
    assert.equal(sheet.frozenRowCount, 1);
    assert.deepEqual([...sheet.colWidths.keys()], [0, 1]);
  });
});
