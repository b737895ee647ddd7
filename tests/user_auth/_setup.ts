/** The user-authorization service against the sandbox (shared by the tests here). */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/family.ts";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { MessageApi } from "../../lib/im/message_api.ts";
import { LarkTokenEndpoints } from "../../lib/token/lark_token_endpoints.ts";
import { MemoryTokenStore } from "../../lib/token/token_store_memory.ts";
import { TokenManager } from "../../lib/token/token_manager.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import {
  registerUserAuthRoutes,
  type UserAuthRoutesOptions,
  UserAuthService,
  UserAuthStore,
} from "../../lib/user_auth/mod.ts";

/** A sandbox, a token manager, the service and its routes (with `routes` options) on a local server. */
export async function setup(routes: UserAuthRoutesOptions<unknown> = {}) {
  const dir = await Deno.makeTempDir({ prefix: "user_auth_" });
  const sandbox = createSandbox();
  const sbx = await sandbox.listen({ port: 0 });
  const family = meetingFamily(sandbox.state);
  const clock = new FakeClock(Date.now());
  const endpoints = new LarkTokenEndpoints({ baseUrl: sbx.url });
  const tokens = new TokenManager({
    store: new MemoryTokenStore(),
    endpoints,
    apps: (id) => id === DEFAULT_APP_ID ? { appId: id, appSecret: DEFAULT_APP_SECRET } : undefined,
  });
  const http = new LarkHttp({ baseUrl: sbx.url, auth: tokens.tenantAuth(DEFAULT_APP_ID) });
  const app = new Hono();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const store = new UserAuthStore(`${dir}/core.db`, { clock });
  const service = new UserAuthService({
    store,
    apps: (id) => id === DEFAULT_APP_ID ? { appId: id, appSecret: DEFAULT_APP_SECRET } : undefined,
    appName: () => "报销助手",
    messages: () => new MessageApi(http),
    httpFor: () => http,
    endpoints,
    tokens,
    publicBaseUrl: `http://127.0.0.1:${server.addr.port}`,
    accountsUrl: sbx.url,
    scopes: ["contact:user.base:readonly"],
  });
  // The browser page's rate limit runs on the same fake clock as the sessions.
  registerUserAuthRoutes(
    app,
    service,
    routes.browserLogin ? { ...routes, browserLogin: { clock, ...routes.browserLogin } } : routes,
  );
  const user = family.directory.users[0];
  /** The user approves on Feishu's page; returns the callback URL the browser is sent to. */
  const approve = (authorizeUrl: string, who = user.openId) => {
    const q = new URL(authorizeUrl).searchParams;
    return family.authorize({
      user_id: who,
      client_id: q.get("client_id") ?? undefined,
      redirect_uri: q.get("redirect_uri") ?? "",
      scope: q.get("scope") ?? undefined,
      state: q.get("state") ?? undefined,
      code_challenge: q.get("code_challenge") ?? undefined,
      code_challenge_method: q.get("code_challenge_method") ?? undefined,
    }).callback_url;
  };
  const sentTo = (openId: string) => family.sentMessages.filter((m) => m.receiveId === openId);
  return {
    baseUrl: `http://127.0.0.1:${server.addr.port}`,
    family,
    tokens,
    service,
    store,
    clock,
    user,
    approve,
    sentTo,
    async close() {
      await server.shutdown();
      await sbx.close();
      store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The link of a card's button. */
export function buttonUrl(card: unknown): string {
  const m = /"url":"([^"]+)"/.exec(JSON.stringify(card));
  assert.ok(m, "the card has a link button");
  return JSON.parse(`"${m[1]}"`);
}
