/**
 * The README's module examples (marked `<!-- example: name -->`) run as
 * written against the sandbox: their `./mod.ts` imports point at the real
 * `mod.ts`, and `http` / `userAuth` are given as in the README's sentence.
 */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { token, withSandbox } from "../sandbox/_helpers.ts";

const ROOT = new URL("../../", import.meta.url);

/** The code of the `ts` block after `<!-- example: name -->`. */
async function example(name: string): Promise<string> {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const m = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  assert.ok(m, `README example "${name}" not found`);
  return m[1];
}

/** Run an example with `http` and `userAuth` in scope; its console.log lines are returned. */
async function run(code: string, scope: Record<string, unknown>): Promise<unknown[][]> {
  const lines = code.split("\n");
  const imports = lines.filter((l) => l.startsWith("import ")).map((l) =>
    l.replace('"./mod.ts"', JSON.stringify(new URL("mod.ts", ROOT).href))
  );
  const body = lines.filter((l) => !l.startsWith("import ")).join("\n");
  const source = `${imports.join("\n")}\nexport default async function ({ ${
    Object.keys(scope).join(", ")
  } }, console) {\n${body}\n}\n`;
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(file, source);
    const mod = await import(new URL(`file://${file}`).href);
    const printed: unknown[][] = [];
    await mod.default(scope, { log: (...args: unknown[]) => printed.push(args) });
    return printed;
  } finally {
    await Deno.remove(file);
  }
}

Deno.test("README example: contacts (ids by email, chat by name, hit rate)", async () => {
  await withSandbox({}, async ({ sandbox, url }) => {
    const http = new LarkHttp({
      baseUrl: url,
      auth: staticAuth("tenant:t", { Authorization: `Bearer ${await token(url)}` }),
    });
    const printed = await run(await example("contact"), { http });
    const zhang = meetingFamily(sandbox).directory.users[0];
    const rd = meetingFamily(sandbox).directory.departments.find((d) => d.name === "研发部")!;
    assert.deepEqual(printed, [[1, zhang.openId, zhang.unionId], [rd.chatId, 0]]);
  });
});

Deno.test("README example: aPaaS (query with filter and order, AI capability)", async () => {
  await withSandbox({}, async ({ sandbox, url }) => {
    const fam = meetingFamily(sandbox);
    const appId = sandbox.state.options.apps[0].appId;
    const uat = fam.userTokens.issue(appId, fam.directory.users[0].openId, [
      "app_engine:workspace.table.record:read",
    ], 0);
    const http = new LarkHttp({
      baseUrl: url,
      auth: staticAuth("tenant:t", { Authorization: `Bearer ${await token(url)}` }),
    });
    const userAuth = staticAuth(`user:${appId}:zhangsan`, { Authorization: `Bearer ${uat.access.value}` });
    const printed = await run(await example("apaas"), { http, userAuth });
    assert.equal(printed.length, 2);
    const [total, first] = printed[0] as [number, Record<string, unknown>];
    assert.ok(total > 0);
    assert.deepEqual(Object.keys(first), ["name", "age"]);
    assert.ok(Number(first.age) >= 60);
    assert.deepEqual(printed[1], [{ summary: "本季度销售额同比增长", length: 10 }]);
  });
});
