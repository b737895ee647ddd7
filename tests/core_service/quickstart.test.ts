/**
 * The README's 10-minute quick start, run verbatim (only `./mod.ts` is
 * pointed at this checkout) against the sandbox: the message must arrive.
 */
import assert from "node:assert/strict";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/family.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("README quick start: the first message is sent", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const block = /<!-- quickstart:begin -->\s*```ts\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(readme)
    ?.[1];
  assert.ok(block, "README has the quick start block");
  const dir = await Deno.makeTempDir({ prefix: "quickstart_" });
  const sandbox = createSandbox();
  const sbx = await sandbox.listen({ port: 0 });
  try {
    const code = block.replace('"./mod.ts"', JSON.stringify(new URL("mod.ts", ROOT).href));
    await Deno.writeTextFile(`${dir}/first_message.ts`, code);
    const family = meetingFamily(sandbox.state);
    const to = family.directory.users.find((u) => u.email)!;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", new URL("deno.json", ROOT).pathname, "first_message.ts"],
      cwd: dir,
      env: {
        FEISHU_APP_ID: DEFAULT_APP_ID,
        FEISHU_APP_SECRET: DEFAULT_APP_SECRET,
        FEISHU_BASE_URL: sbx.url,
        FEISHU_TO_EMAIL: to.email!,
        NO_COLOR: "1",
      },
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(stdout, /已发送，消息 ID： om_/);
    const sent = family.sentMessages.filter((m) => m.receiveId === to.email);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].msgType, "text");
    assert.match(sent[0].content, /第一条飞书消息/);
  } finally {
    await sbx.close();
    await Deno.remove(dir, { recursive: true });
  }
});
