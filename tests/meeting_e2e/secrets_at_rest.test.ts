/**
 * Issue 7 §3 through the archiver: after a user authorises, the token database holds no
 * user token in clear, the stored events keep no Verification Token, the state files are
 * owner-only, and a service started with another key refuses to start with 密钥不对 —
 * instead of treating the user as unauthorised and sending a re-authorisation card.
 * Fails on the code before the fix (plain JSON, 0644, token kept in payloads).
 */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors/mod.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";
import { createMeetingService } from "../../pipelines/meeting/service/mod.ts";
import { authorize, jobOf, until, withHarness } from "./_harness.ts";

const POSIX = Deno.build.os !== "windows";

async function diskText(path: string): Promise<string> {
  let text = "";
  for (const f of [path, `${path}-wal`]) {
    text += new TextDecoder("latin1").decode(await Deno.readFile(f).catch(() => new Uint8Array()));
  }
  return text;
}

Deno.test("e2e: user tokens encrypted at rest, no verification token stored, owner-only state; a wrong key refuses to start", async () => {
  await withHarness({}, async (h) => {
    const zhang = h.family.directory.users[0];
    const auth = await authorize(h, zhang.userId);
    assert.equal(auth.status, 200);
    const ended = await h.family.endMeeting({ topic: "加密", owner_user_id: zhang.userId });
    await h.family.whenDelivered();
    await until(() => jobOf(h, String(ended.meeting.id)), "job");

    const tokens = h.family.userTokens.tokens.map((t) => t.value);
    assert.ok(tokens.length >= 2, "access and refresh token issued");
    const tokenDisk = await diskText(h.config.state.token_db);
    for (const t of tokens) assert.ok(!tokenDisk.includes(t), "a user token is stored in clear");
    const stateDisk = await diskText(h.config.state.db);
    assert.ok(!stateDisk.includes(h.config.app.verification_token), "the verification token is stored");

    if (POSIX) {
      const key = `${h.dir}/state/secret.key`;
      for (const f of [key, h.config.state.token_db, h.config.state.db]) {
        assert.equal((await Deno.stat(f)).mode! & 0o777, 0o600, f);
      }
      assert.equal((await Deno.stat(`${h.dir}/state`)).mode! & 0o777, 0o700);
    }

    await h.stopService();
    const sentBefore = h.family.sentMessages.length;
    const otherKey = await testSecretBox(7);
    await assert.rejects(
      () => createMeetingService(h.config, { box: otherKey }),
      (e) => e instanceof ConfigError && /密钥不对/.test(e.hint ?? ""),
    );
    assert.equal(h.family.sentMessages.length, sentBefore, "no card asking the user to authorise again");
    await h.startService(); // the right key (the key file) still works
    assert.equal(await h.service.clients.tokens.userStatus(h.config.app.app_id, zhang.userId), "authorized");
  });
});
