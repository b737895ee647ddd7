/**
 * The README's 10-minute quick start works as written: its TypeScript block
 * is extracted, run as a separate Deno process with only the environment
 * variables the README names (pointed at the sandbox), and the message it
 * sends arrives.
 */
import assert from "node:assert/strict";
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { withSandbox } from "../sandbox/_helpers.ts";

const ROOT = new URL("../../", import.meta.url);

/** The first ```ts block under the quick-start heading. */
function quickStartCode(readme: string): string {
  const at = readme.indexOf("### 10 分钟发出第一条消息");
  assert.ok(at >= 0, "README has the 10-minute quick start");
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, "the quick start has a TypeScript block");
  return m[1];
}

Deno.test("README quick start: its code sends the first message (run against the sandbox)", async () => {
  const code = quickStartCode(await Deno.readTextFile(new URL("README.md", ROOT)));
  assert.match(code, /from "\.\/mod\.ts"/, "it imports from mod.ts");
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/hello.ts`;
    await Deno.writeTextFile(file, code.replace('"./mod.ts"', JSON.stringify(new URL("mod.ts", ROOT).href)));
    await withSandbox({}, async ({ sandbox, url }) => {
      const to = meetingFamily(sandbox).directory.users[0];
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--config",
          new URL("deno.json", ROOT).pathname,
          "--allow-net=127.0.0.1",
          "--allow-env",
          file,
        ],
        env: {
          FEISHU_BASE_URL: url,
          FEISHU_APP_ID: DEFAULT_APP_ID,
          FEISHU_APP_SECRET: DEFAULT_APP_SECRET,
          FEISHU_TO: to.email!,
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const [sent] = meetingFamily(sandbox).sentMessages;
      assert.ok(sent, "a message arrived");
      assert.equal(sent.user?.openId, to.openId);
      assert.equal(JSON.parse(sent.content).text, "你好，这是我的第一条飞书消息");
      assert.ok(stdout.includes(`已发送 ${sent.messageId}`), stdout);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
