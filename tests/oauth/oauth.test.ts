import assert from "node:assert/strict";
import { BadRequestError, ConfigError } from "../../lib/errors/mod.ts";
import {
  buildAuthorizeUrl,
  exchangeCode,
  getUserInfo,
  MEETING_ARCHIVER_SCOPES,
} from "../../lib/oauth/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { LarkTokenEndpoints, SqliteTokenStore, TokenManager } from "../../lib/token/mod.ts";
import { larkJson, type SeenCall, withFakeApi } from "../_scripted_api.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";

const box = await testSecretBox();

const APP = { appId: "cli_a1b2c3d4e5f60718", appSecret: "secret-xyz" };
const REDIRECT = "https://archiver.example.com/auth/callback";

Deno.test("buildAuthorizeUrl: accounts host, documented params, offline_access always included", () => {
  const url = new URL(
    buildAuthorizeUrl({
      appId: APP.appId,
      redirectUri: REDIRECT,
      scopes: ["vc:record:readonly"],
      state: "s1",
    }),
  );
  assert.equal(url.origin + url.pathname, "https://accounts.feishu.cn/open-apis/authen/v1/authorize");
  assert.equal(url.searchParams.get("client_id"), APP.appId);
  assert.equal(url.searchParams.get("response_type"), "code");
  assert.equal(url.searchParams.get("redirect_uri"), REDIRECT);
  assert.equal(url.searchParams.get("scope"), "vc:record:readonly offline_access");
  assert.equal(url.searchParams.get("state"), "s1");
  const def = new URL(
    buildAuthorizeUrl({
      appId: "a",
      redirectUri: REDIRECT,
      state: "s",
      accountsBaseUrl: "http://127.0.0.1:9",
    }),
  );
  assert.equal(def.origin, "http://127.0.0.1:9");
  assert.deepEqual(def.searchParams.get("scope")?.split(" "), [...MEETING_ARCHIVER_SCOPES]);
  assert.throws(
    () =>
      buildAuthorizeUrl({
        appId: "a",
        redirectUri: REDIRECT,
        state: "s",
        scopes: Array.from({ length: 50 }, (_, i) => `s${i}`),
      }),
    BadRequestError,
  );
  assert.throws(() => buildAuthorizeUrl({ appId: "a", redirectUri: REDIRECT, state: "" }), BadRequestError);
});

/** A fake authen v2 token endpoint (single-use codes, rotating refresh tokens) and user_info. */
function authRoutes(opts: { offline?: boolean } = {}) {
  const usedCodes = new Set<string>();
  let refreshN = 0;
  return {
    "POST /open-apis/authen/v2/oauth/token": (c: SeenCall) => {
      const b = c.body as Record<string, string>;
      if (b.client_id !== APP.appId || b.client_secret !== APP.appSecret) {
        return larkJson({ code: 20002, error: "invalid_client", error_description: "bad secret" }, 400);
      }
      if (b.grant_type === "authorization_code") {
        if (usedCodes.has(b.code)) {
          return larkJson(
            { code: 20065, error: "invalid_grant", error_description: "code has been used" },
            400,
          );
        }
        usedCodes.add(b.code);
        if (b.redirect_uri !== REDIRECT) return larkJson({ code: 20071, error: "invalid_grant" }, 400);
        return larkJson({
          code: 0,
          access_token: "eyJ.access-1",
          expires_in: 7200,
          token_type: "Bearer",
          scope: opts.offline === false ? "vc:record:readonly" : "vc:record:readonly offline_access",
          ...(opts.offline === false
            ? {}
            : { refresh_token: "eyJ.refresh-1", refresh_token_expires_in: 604800 }),
        });
      }
      if (b.grant_type === "refresh_token" && b.refresh_token === `eyJ.refresh-${refreshN + 1}`) {
        refreshN++;
        return larkJson({
          code: 0,
          access_token: `eyJ.access-${refreshN + 1}`,
          expires_in: 7200,
          refresh_token: `eyJ.refresh-${refreshN + 1}`,
          refresh_token_expires_in: 604800,
          scope: "vc:record:readonly offline_access",
        });
      }
      return larkJson({ code: 20073, error: "invalid_grant", error_description: "refresh token used" }, 400);
    },
    "GET /open-apis/authen/v1/user_info": (c: SeenCall) => {
      if (!c.headers.get("authorization")?.startsWith("Bearer eyJ.access-")) {
        return larkJson({ code: 99991668, msg: "Invalid access token" }, 401);
      }
      return {
        name: "张三",
        en_name: "Zhang San",
        open_id: "ou_zs",
        union_id: "on_zs",
        user_id: "zhangsan",
        tenant_key: "t1",
      };
    },
  };
}

Deno.test("exchangeCode: v2 code exchange → user_info → saved tokens the manager can use and refresh", async () => {
  await withFakeApi(authRoutes(), async ({ base, http, seen }) => {
    const clock = new FakeClock(1_700_000_000_000);
    const endpoints = new LarkTokenEndpoints({ baseUrl: base, clock });
    const store = new SqliteTokenStore(":memory:", { box, clock });
    const tokens = new TokenManager({
      store,
      endpoints,
      apps: (id) => (id === APP.appId ? APP : undefined),
      clock,
    });
    const login = await exchangeCode({
      app: APP,
      code: "code-1",
      redirectUri: REDIRECT,
      endpoints,
      tokens,
      http: http(),
    });
    assert.equal(login.userId, "ou_zs");
    assert.equal(login.user.name, "张三");
    assert.equal(login.hasRefreshToken, true);
    const tokenCall = seen[0].body as Record<string, string>;
    assert.deepEqual(tokenCall, {
      grant_type: "authorization_code",
      client_id: APP.appId,
      client_secret: APP.appSecret,
      code: "code-1",
      redirect_uri: REDIRECT,
    });
    assert.equal(seen[1].headers.get("authorization"), "Bearer eyJ.access-1");
    assert.equal(await tokens.userStatus(APP.appId, "ou_zs"), "authorized");
    assert.equal(await tokens.getUserToken(APP.appId, "ou_zs"), "eyJ.access-1");
    await clock.tick(7300_000);
    assert.equal(
      await tokens.getUserToken(APP.appId, "ou_zs"),
      "eyJ.access-2",
      "refreshed with the saved refresh token",
    );
    // The same code again is refused (single use) with a typed error.
    await assert.rejects(
      exchangeCode({ app: APP, code: "code-1", redirectUri: REDIRECT, endpoints, tokens, http: http() }),
      (e: unknown) => e instanceof BadRequestError && e.code === 20065,
    );
    store.close();
  });
});

Deno.test("exchangeCode: user_id key, missing offline_access, redirect mismatch", async () => {
  await withFakeApi(authRoutes({ offline: false }), async ({ base, http }) => {
    const endpoints = new LarkTokenEndpoints({ baseUrl: base });
    const saved: [string, string, unknown][] = [];
    const tokens = {
      saveUserTokens: (a: string, u: string, t: unknown) => Promise.resolve(void saved.push([a, u, t])),
    };
    const login = await exchangeCode({
      app: APP,
      code: "c2",
      redirectUri: REDIRECT,
      endpoints,
      tokens,
      http: http(),
      userKey: "user_id",
    });
    assert.equal(login.userId, "zhangsan");
    assert.equal(login.hasRefreshToken, false);
    assert.equal(saved[0][1], "zhangsan");
    await assert.rejects(
      exchangeCode({
        app: APP,
        code: "c3",
        redirectUri: "https://evil.example/cb",
        endpoints,
        tokens,
        http: http(),
      }),
      ConfigError,
    );
  });
});

Deno.test("getUserInfo maps the documented fields", async () => {
  await withFakeApi(authRoutes(), async ({ http }) => {
    const me = await getUserInfo(http(), "eyJ.access-9");
    assert.deepEqual(me, {
      openId: "ou_zs",
      unionId: "on_zs",
      userId: "zhangsan",
      name: "张三",
      enName: "Zhang San",
      email: undefined,
      enterpriseEmail: undefined,
      tenantKey: "t1",
      avatarUrl: undefined,
    });
  });
});
