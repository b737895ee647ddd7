import assert from "node:assert/strict";
import { parseCurl } from "../../lib/clm/curl_parse.ts";
import { loadConfig } from "../../lib/config/load_config.ts";
import { ChatIdConfigSchema } from "../../pipelines/chatid/config.ts";
import { ExportConfigSchema } from "../../pipelines/export/config.ts";
import { loadMeetingConfig } from "../../pipelines/meeting/config.ts";

const ENV = (n: string) =>
  ({
    FEISHU_APP_SECRET: "s",
    FEISHU_CLM_COOKIE: "session=x",
    APP_SECRET: "s",
    DOWNLOAD_PATH: "/nas",
  } as Record<
    string,
    string | undefined
  >)[n];

/** The same file as Notepad on Windows may save it: BOM and CRLF line ends. */
async function asWindowsFile(path: string): Promise<string> {
  const text = await Deno.readTextFile(path);
  const out = await Deno.makeTempFile({ suffix: ".yaml" });
  await Deno.writeTextFile(out, "\uFEFF" + text.replace(/\r?\n/g, "\r\n"));
  return out;
}

Deno.test("config examples saved with BOM and CRLF load exactly like the originals", async () => {
  for (
    const [file, schema, env] of [
      ["config/chatid.example.yaml", ChatIdConfigSchema, {
        "app.app_secret": "FEISHU_APP_SECRET",
        "clm.cookie": "FEISHU_CLM_COOKIE",
      }],
      ["config/export.example.yaml", ExportConfigSchema, {}],
    ] as const
  ) {
    const win = await asWindowsFile(file);
    try {
      const a = await loadConfig(schema, { file, env, getEnv: ENV });
      const b = await loadConfig(schema, { file: win, env, getEnv: ENV });
      assert.deepEqual(b.config, a.config, file);
      assert.deepEqual(b.warnings, [], file);
    } finally {
      await Deno.remove(win);
    }
  }
  const win = await asWindowsFile("config/meeting.example.yaml");
  try {
    const a = await loadMeetingConfig({ file: "config/meeting.example.yaml", getEnv: ENV });
    const b = await loadMeetingConfig({ file: win, getEnv: ENV });
    assert.deepEqual(b.config, a.config);
    assert.deepEqual(b.warnings, []);
  } finally {
    await Deno.remove(win);
  }
});

Deno.test("Windows paths in YAML keep their backslashes, drive letters and spaces (as the examples advise)", async () => {
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await Deno.writeTextFile(
      file,
      "\uFEFFoutput:\r\n  dir: D:\\飞书 导出\\合同\r\nmessenger:\r\n  profile_dir: 'C:\\Users\\张 三\\AppData\\Local\\fk'\r\n" +
        "  qr_save_path: D:/飞书/qr.png\r\n",
    );
    const { config } = await loadConfig(ExportConfigSchema, { file, getEnv: () => undefined });
    assert.equal(config.output.dir, "D:\\飞书 导出\\合同");
    assert.equal(config.messenger.profile_dir, "C:\\Users\\张 三\\AppData\\Local\\fk");
    assert.equal(config.messenger.qr_save_path, "D:/飞书/qr.png");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("state and profile defaults follow FEISHU_KIT_DIRS=user into the per-user folders", async () => {
  const saved = ["FEISHU_KIT_DIRS", "HOME", "XDG_STATE_HOME"].map((n) => [n, Deno.env.get(n)] as const);
  try {
    Deno.env.set("FEISHU_KIT_DIRS", "user");
    Deno.env.set("HOME", "/home/张 三");
    Deno.env.delete("XDG_STATE_HOME");
    const chatid = await loadConfig(ChatIdConfigSchema, {
      env: { "app.app_id": "A", "app.app_secret": "A", "clm.cookie": "A" },
      getEnv: () => "x",
    });
    assert.equal(chatid.config.state.token_db, "/home/张 三/.local/state/feishu-kit/tokens.sqlite");
    const exp = await loadConfig(ExportConfigSchema, { getEnv: () => undefined });
    assert.equal(
      exp.config.messenger.profile_dir,
      "/home/张 三/.local/state/feishu-kit/profiles/chromium-profile",
    );
    const meeting = await loadMeetingConfig({ file: "config/meeting.example.yaml", getEnv: ENV });
    assert.equal(meeting.config.state.db, "/home/张 三/.local/state/feishu-kit/meeting.sqlite");
    Deno.env.set("FEISHU_KIT_DIRS", "project");
    const back = await loadConfig(ExportConfigSchema, { getEnv: () => undefined });
    assert.equal(back.config.messenger.profile_dir, ".state/chromium-profile");
  } finally {
    for (const [n, v] of saved) v === undefined ? Deno.env.delete(n) : Deno.env.set(n, v);
  }
});

Deno.test("a cURL file saved by Notepad (BOM, CRLF, cmd form) is read like the original", async () => {
  const cmd = [
    'curl "https://contract.feishu.cn/clm/api/cooperation/exportCooperationRecords" ^',
    '  -H "content-type: application/json" ^',
    '  -b "session=abc; lark_oapi_csrf_token=t0k" ^',
    '  --data-raw "{^\\^"a^\\^":1}"',
  ];
  const file = await Deno.makeTempFile({ suffix: ".txt" });
  try {
    await Deno.writeTextFile(file, "\uFEFF" + cmd.join("\r\n") + "\r\n");
    const c = parseCurl(await Deno.readTextFile(file));
    assert.equal(c.shell, "cmd");
    assert.equal(c.path, "/clm/api/cooperation/exportCooperationRecords");
    assert.equal(c.cookies.session, "abc");
    assert.deepEqual(c.body, { a: 1 });
    assert.deepEqual(parseCurl(cmd.join("\n")), c);
  } finally {
    await Deno.remove(file);
  }
});
