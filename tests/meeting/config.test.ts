import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors/config_error.ts";
import {
  loadMeetingConfig,
  MEETING_ENV_NAMES,
  REQUIRED_USER_SCOPES,
  stagingDir,
} from "../../pipelines/meeting/config.ts";
import { meetingWorkerSettings } from "../../pipelines/meeting/settings.ts";

const EXAMPLE = new URL("../../config/meeting.example.yaml", import.meta.url).pathname;

function env(vars: Record<string, string>) {
  return (n: string) => vars[n];
}

Deno.test("meeting config: the example file loads with secrets from the environment, no unknown keys", async () => {
  const { config, warnings } = await loadMeetingConfig({
    file: EXAMPLE,
    getEnv: env({ APP_SECRET: "s3cret", DOWNLOAD_PATH: "/data/nas" }),
  });
  assert.deepEqual(warnings, []);
  assert.equal(config.app.app_secret, "s3cret");
  assert.equal(config.nas.root, "/data/nas");
  assert.equal(config.server.host, "127.0.0.1");
  assert.equal(config.server.port, 29090);
  assert.equal(config.events.mode, "webhook");
  assert.equal(config.download.concurrency, 4);
  assert.deepEqual(config.ladder.steps_seconds, [10, 20, 30, 60, 120, 180]);
  assert.equal(config.ladder.repeat_seconds, 300);
  assert.equal(config.ladder.total_seconds, 1800);
  assert.equal(config.naming.time_zone, "Asia/Shanghai");
  assert.equal(config.nas.team_folder, "@team");
  assert.equal(config.contact.cache_ttl_hours, 24);
  assert.equal(stagingDir(config), "/data/nas/.staging");
});

Deno.test("meeting config: defaults when only the required keys are given", async () => {
  const { config } = await loadMeetingConfig({
    getEnv: env({ APP_ID: "cli_a", APP_SECRET: "x", DOWNLOAD_PATH: "/nas/" }),
  });
  assert.equal(config.app.base_url, "https://open.feishu.cn");
  assert.equal(config.app.accounts_url, "https://accounts.feishu.cn");
  assert.equal(config.server.public_base_url, "http://127.0.0.1:29090");
  assert.equal(config.nas.personal_folder, "user_id");
  assert.equal(config.naming.template, "{姓名}_{会议主题}_{YYYYMMDD_HHMM}");
  assert.equal(config.state.db, ".state/meeting.sqlite");
  assert.equal(stagingDir(config), "/nas/.staging");
  for (const s of REQUIRED_USER_SCOPES) assert.ok(config.oauth.scopes.includes(s), s);
});

Deno.test("meeting config: FEISHU_* wins over the plain names; every variable is listed", async () => {
  const { config } = await loadMeetingConfig({
    getEnv: env({
      APP_ID: "cli_plain",
      FEISHU_APP_ID: "cli_feishu",
      APP_SECRET: "plain",
      APP_VERIFICATION_TOKEN: "vt",
      APP_ENCRYPT_KEY: "ek",
      FEISHU_DOWNLOAD_PATH: "/f",
      DOWNLOAD_PATH: "/p",
    }),
  });
  assert.equal(config.app.app_id, "cli_feishu");
  assert.equal(config.app.app_secret, "plain");
  assert.equal(config.app.verification_token, "vt");
  assert.equal(config.app.encrypt_key, "ek");
  assert.equal(config.nas.root, "/f");
  for (const n of ["APP_ID", "APP_SECRET", "APP_VERIFICATION_TOKEN", "APP_ENCRYPT_KEY", "DOWNLOAD_PATH"]) {
    assert.ok(MEETING_ENV_NAMES.includes(n), n);
  }
});

Deno.test("meeting config: required scopes are added to a short list, without duplicates", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/m.yaml`;
  await Deno.writeTextFile(file, "oauth:\n  scopes: [vc:record:readonly, calendar:calendar:readonly]\n");
  const { config } = await loadMeetingConfig({
    file,
    getEnv: env({ APP_ID: "a", APP_SECRET: "b", DOWNLOAD_PATH: "/n" }),
  });
  assert.ok(config.oauth.scopes.includes("offline_access"));
  assert.ok(config.oauth.scopes.includes("calendar:calendar:readonly"));
  assert.equal(config.oauth.scopes.filter((s) => s === "vc:record:readonly").length, 1);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("meeting config: missing NAS root, bad time zone and bad template are named in Chinese", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/m.yaml`;
  await Deno.writeTextFile(
    file,
    "naming:\n  time_zone: Mars/Olympus\n  template: '{姓名}_{部门}'\nevents:\n  mode: carrier_pigeon\n",
  );
  const err = await loadMeetingConfig({ file, getEnv: env({ APP_ID: "a", APP_SECRET: "b" }) }).then(
    () => assert.fail("should throw"),
    (e) => e,
  );
  assert.ok(err instanceof ConfigError);
  assert.match(err.hint, /nas\.root/);
  assert.match(err.hint, /naming\.time_zone.*未知时区/);
  assert.match(err.hint, /naming\.template.*未知占位符/);
  assert.match(err.hint, /events\.mode/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("meeting config → worker settings: seconds become ms, MB become bytes, mapping passed through", async () => {
  const { config } = await loadMeetingConfig({
    file: EXAMPLE,
    getEnv: env({ APP_SECRET: "s", DOWNLOAD_PATH: "/nas" }),
    overrides: { "nas.personal_folder": "name", "naming.time_zone": "+09:00" },
  });
  const mapping = new Map([["u1", "张三"]]);
  const s = meetingWorkerSettings(config, mapping);
  assert.equal(s.stagingDir, "/nas/.staging");
  assert.equal(s.concurrency, 4);
  assert.deepEqual(s.ladder, {
    stepsMs: [10_000, 20_000, 30_000, 60_000, 120_000, 180_000],
    repeatMs: 300_000,
    totalMs: 1_800_000,
  });
  assert.equal(s.nas.nasRoot, "/nas");
  assert.equal(s.nas.personalFolder, "name");
  assert.equal(s.nas.mapping, mapping);
  assert.equal(s.nas.teamFolder, "@team");
  assert.equal(s.nas.reserveBytes, 1024 * 1024 * 1024);
  assert.equal(s.naming?.timeZone, "+09:00");
  assert.equal(s.naming?.template, "{姓名}_{会议主题}_{YYYYMMDD_HHMM}");
});
