/**
 * The README's examples for the docs, media and calendar modules (the
 * `// 示例：` code blocks) type-check and run against the sandbox, with
 * `baseUrl` and `auth` supplied as the README says.
 */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { token, withSandbox } from "../sandbox/_helpers.ts";

const ROOT = new URL("../../", import.meta.url);
const MARK = "// 示例：";

async function examples(): Promise<{ name: string; code: string }[]> {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const out = [];
  for (const m of readme.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const code = m[1];
    if (!code.startsWith(MARK)) continue;
    const name = code.slice(MARK.length, code.indexOf("\n")).trim();
    if (name.startsWith("lib/")) continue; // module examples: readme_service_examples.test.ts runs those
    out.push({ name, code });
  }
  return out;
}

/** The example as a module: `./mod.ts` resolved to the repo, `baseUrl` / `auth` from the test. */
function asModule(code: string): string {
  const mod = new URL("mod.ts", ROOT).href;
  const body = code.replaceAll('"./mod.ts"', JSON.stringify(mod));
  // Imports (possibly over several lines) end with the last `from "…";`.
  const marker = `from ${JSON.stringify(mod)};\n`;
  const cut = body.lastIndexOf(marker) + marker.length;
  return [
    body.slice(0, cut),
    `import type { AuthProvider } from ${JSON.stringify(mod)};`,
    "const { baseUrl, auth } = (globalThis as unknown as { readmeExample: { baseUrl: string; auth: AuthProvider } })",
    "  .readmeExample;",
    body.slice(cut),
    "export {};",
  ].join("\n");
}

Deno.test("README: docs / media / calendar examples type-check and run against the sandbox", async () => {
  const list = await examples();
  assert.deepEqual(list.map((e) => e.name.slice(0, 2)), ["文档", "协作", "日历"]);
  const dir = await Deno.makeTempDir({ dir: new URL("tests/docs/", ROOT).pathname, prefix: ".readme-" });
  try {
    const files: string[] = [];
    for (const [i, e] of list.entries()) {
      const file = `${dir}/example_${i}.ts`;
      await Deno.writeTextFile(file, asModule(e.code));
      files.push(file);
    }
    const check = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", ...files],
      cwd: ROOT.pathname,
    })
      .output();
    assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
    await withSandbox({}, async ({ url, sandbox }) => {
      const auth = staticAuth("tenant:readme", { Authorization: `Bearer ${await token(url)}` });
      Object.assign(globalThis, { readmeExample: { baseUrl: url, auth } });
      const log = console.log;
      const printed: unknown[] = [];
      console.log = (...a: unknown[]) => void printed.push(a.join(" "));
      try {
        for (const file of files) await import(new URL(`file://${file}`).href);
      } finally {
        console.log = log;
      }
      assert.match(String(printed[0]), /^周报\n本周进展\n完成了 导出\n接口\n测试\ndeno task test\n/);
      assert.match(String(printed.at(-1)), /^项目周会 2026-12-07T02:00:00.000Z$/);
      assert.ok(
        printed.some((p) => /^已创建 \S+ 请求 ID fk-[\w-]+$/.test(String(p))),
        "the request id of the create",
      );
      const failed = sandbox.journal.entries.filter((e) => e.endpoint !== "tenant_token" && e.code !== 0);
      assert.deepEqual(failed.map((e) => e.endpoint), [], "every call of the examples succeeded");
      for (
        const name of [
          "docx_block_patch",
          "drive_member_create",
          "drive_media_download",
          "calendar_event_list",
        ]
      ) {
        assert.ok(sandbox.journal.filter(name).length > 0, `${name} was called`);
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
