/**
 * The sandbox's v2 OAuth token endpoint (open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/
 * authentication-management/access-token/get-user-access-token): HTTP Basic client
 * authentication (both ways at once → 20070), a code or refresh token of another app
 * (20024), down-scoping (duplicates 20067, not granted 20068), missing code or
 * refresh token (20001), a body that is not a JSON object (20063).
 */
import assert from "node:assert/strict";
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { call, postJson, withSandbox } from "./_helpers.ts";

const TOKEN = "/open-apis/authen/v2/oauth/token";
const CALLBACK = "http://127.0.0.1:29090/auth/callback";
const OTHER = { appId: "cli_other_app_0002", appSecret: "other-secret" };
const SCOPE = "offline_access minutes:minutes.media:export";

Deno.test("oauth token: Basic auth, another app's code or refresh token, down-scoping, missing fields", async () => {
  await withSandbox(
    { defaultRateLimits: false, apps: [{ appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET }, OTHER] },
    async ({ sandbox, url }) => {
      const userId = meetingFamily(sandbox).directory.users[0].userId;
      const approve = async (clientId = DEFAULT_APP_ID) =>
        (await postJson(url + "/__sandbox/meeting/authorize", {
          user_id: userId,
          redirect_uri: CALLBACK,
          scope: SCOPE,
          client_id: clientId,
        })).body.data.code as string;
      const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;
      const form = (params: Record<string, string>, authorization?: string) =>
        call(url + TOKEN, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            ...(authorization ? { authorization } : {}),
          },
          body: new URLSearchParams(params).toString(),
        });

      // HTTP Basic instead of the secret in the body.
      const viaBasic = await form(
        { grant_type: "authorization_code", code: await approve() },
        basic(DEFAULT_APP_ID, DEFAULT_APP_SECRET),
      );
      assert.equal(viaBasic.body.code, 0, viaBasic.text);
      assert.match(viaBasic.body.access_token, /\S+/);
      const both = await form(
        { grant_type: "authorization_code", code: await approve(), client_secret: DEFAULT_APP_SECRET },
        basic(DEFAULT_APP_ID, DEFAULT_APP_SECRET),
      );
      assert.deepEqual([both.status, both.body.code], [400, 20070]);
      assert.equal(
        (await form({ grant_type: "authorization_code", code: "x" }, "Basic %%%")).body.code,
        20063,
      );
      const noColon = await form(
        { grant_type: "authorization_code", code: "x" },
        `Basic ${btoa(DEFAULT_APP_ID)}`,
      );
      assert.deepEqual([noColon.body.code, noColon.body.error_description], [
        20001,
        "缺少必填参数：client_secret",
      ]);

      const client = { client_id: DEFAULT_APP_ID, client_secret: DEFAULT_APP_SECRET };
      const json = (body: unknown) => postJson(url + TOKEN, body);
      assert.equal((await json([1, 2])).body.code, 20063);
      assert.equal((await json({ grant_type: "authorization_code", ...client })).body.code, 20001);
      assert.equal((await json({ grant_type: "refresh_token", ...client })).body.code, 20001);

      // A code approved for the other app cannot be redeemed by this one.
      const foreign = await json({
        grant_type: "authorization_code",
        ...client,
        code: await approve(OTHER.appId),
      });
      assert.equal(foreign.body.code, 20024);

      // Down-scoping on exchange: duplicates 20067, a scope not granted 20068, a subset fine.
      const code = (scope: string) =>
        approve().then((c) => json({ grant_type: "authorization_code", ...client, code: c, scope }));
      assert.equal((await code("offline_access offline_access")).body.code, 20067);
      assert.equal((await code("offline_access contact:user.email:readonly")).body.code, 20068);
      const narrowed = await code("offline_access");
      assert.equal(narrowed.body.code, 0, narrowed.text);
      assert.equal(narrowed.body.scope, "offline_access");

      // The same on refresh, and another app's refresh token is 20024.
      const full = await json({ grant_type: "authorization_code", ...client, code: await approve() });
      const refresh = (extra: Record<string, string>, as = client) =>
        json({ grant_type: "refresh_token", ...as, refresh_token: full.body.refresh_token, ...extra });
      assert.equal(
        (await refresh({}, { client_id: OTHER.appId, client_secret: OTHER.appSecret })).body.code,
        20024,
      );
      assert.equal((await refresh({ scope: "offline_access offline_access" })).body.code, 20067);
    },
  );
});
