/**
 * The README's service-core example (under 「卡片回调经队列处理」, the block
 * calling `startCore`) type-checks as written: its imports resolve to the
 * repository's `mod.ts` and `pipelines/core/mod.ts`, and every name it uses
 * is imported (an example missing an import, or naming something the modules
 * do not export, fails here).
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/** The first ```ts block after the heading that calls `startCore`. */
function coreExample(readme: string): string {
  const at = readme.indexOf("### 卡片回调经队列处理");
  assert.ok(at >= 0, "README has the card-callback section");
  const block = [...readme.slice(at).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
    .find((b) => b.includes("startCore("));
  assert.ok(block, "the section has the startCore example");
  return block;
}

Deno.test("README: the service-core example imports what it uses and type-checks", async () => {
  const code = coreExample(await Deno.readTextFile(new URL("README.md", ROOT)));
  for (const name of ["startCore", "loadCoreConfig", "approvalCard"]) {
    assert.match(code, new RegExp(`import \\{[^}]*\\b${name}\\b[^}]*\\} from "\\./pipelines/core/mod\\.ts"`));
  }
  const source = code
    .replaceAll('"./mod.ts"', JSON.stringify(new URL("mod.ts", ROOT).href))
    .replaceAll('"./pipelines/core/mod.ts"', JSON.stringify(new URL("pipelines/core/mod.ts", ROOT).href));
  const dir = await Deno.makeTempDir({ dir: new URL("tests/docs/", ROOT).pathname, prefix: ".readme-core-" });
  try {
    const file = `${dir}/core_example.ts`;
    await Deno.writeTextFile(file, `${source}\nexport {};\n`);
    const check = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", file],
      cwd: ROOT.pathname,
    }).output();
    assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
