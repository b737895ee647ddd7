/**
 * The real `startCore` (from its environment config) against a sandbox that
 * knows two apps, served on a free port: for tests of the wiring (several
 * apps, token store backends, the admin API over HTTP).
 */
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { cardFamily } from "../../sandbox/card/family.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/family.ts";
import { CardRouter } from "../../lib/callback/mod.ts";
import { serveGuarded } from "../../lib/http/serve_guarded.ts";
import { createLogger, MemorySink } from "../../lib/log/mod.ts";
import { approvalCard, registerApprovalHandlers } from "../../pipelines/core/approval_handlers.ts";
import { loadCoreConfig } from "../../pipelines/core/config.ts";
import { startCore } from "../../pipelines/core/start_core.ts";

export const APP_A = { appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET };
export const APP_B = { appId: "cli_b0b1b2b3b4b5b6b7", appSecret: "second-app-secret" };
export const ADMIN = "admin-token-for-core-app-tests";
export const ENCRYPT_KEY = "core-app-encrypt-key";
export const VERIFICATION_TOKEN = "core-app-verification-token";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Sandbox (apps A and B) + the core (app A configured, B added over the admin API), served. */
export async function startTwoAppCore(env: Record<string, string> = {}) {
  const dir = await Deno.makeTempDir({ prefix: "core_apps_" });
  const sandbox = createSandbox({ apps: [APP_A, APP_B], defaultRateLimits: false });
  const sbx = await sandbox.listen({ port: 0 });
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const full: Record<string, string> = {
    FEISHU_APP_ID: APP_A.appId,
    FEISHU_APP_SECRET: APP_A.appSecret,
    FEISHU_BASE_URL: sbx.url,
    FEISHU_ACCOUNTS_URL: sbx.url,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_CORE_PORT: String(port),
    FEISHU_CORE_STATE_DIR: dir,
    FEISHU_CORE_ADMIN_TOKEN: ADMIN,
    ...env,
  };
  const config = loadCoreConfig((n) => full[n]);
  const logs = new MemorySink();
  const core = await startCore(config, {
    logger: createLogger({ sinks: [logs] }),
    router: registerApprovalHandlers(new CardRouter()),
  });
  const server = serveGuarded({ hostname: "127.0.0.1", port }, core.service.fetch);
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    });
  const added = await admin("/admin/apps", {
    method: "POST",
    body: JSON.stringify({ app_id: APP_B.appId, app_secret: APP_B.appSecret, name: "第二个应用" }),
  });
  if (added.status !== 201) throw new Error(`adding app B: ${added.status} ${await added.text()}`);
  const family = meetingFamily(sandbox.state);
  const cards = cardFamily(sandbox.state);

  /** The user approves on Feishu's page; returns the callback URL the browser is sent to. */
  const approve = (authorizeUrl: string, who: string) => {
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

  /** An approval card in state 审批中 sent by `appId`; returns its message id. */
  const seedCard = (appId: string) => {
    const id = `om_${crypto.randomUUID().replaceAll("-", "")}`;
    cards.messages.set(id, {
      messageId: id,
      appId,
      card: approvalCard("报销单", "审批中"),
      history: [],
      updates: 0,
    });
    return id;
  };

  /** Let the sandbox deliver a click on `messageId` as app `appId`'s callback. */
  const click = async (appId: string, messageId: string) => {
    const res = await fetch(`${sbx.url}/__sandbox/card/click`, {
      method: "POST",
      body: JSON.stringify({
        callback_url: `${url}/callback/card`,
        app_id: appId,
        message_id: messageId,
        open_id: family.directory.users[0].openId,
        action: { value: { action: "approve", title: "报销单" } },
        encrypt_key: ENCRYPT_KEY,
        verification_token: VERIFICATION_TOKEN,
      }),
    });
    return (await res.json()).data as { status: number; body: string };
  };

  return {
    dir,
    url,
    sandbox,
    sandboxUrl: sbx.url,
    family,
    cards,
    core,
    config,
    logs,
    admin,
    approve,
    seedCard,
    click,
    user: family.directory.users[0],
    async close() {
      await server.shutdown();
      await core.close();
      await sbx.close();
      await Deno.remove(dir, { recursive: true });
    },
    /** Everything but the core (for a test that closed it itself). */
    async closeRest() {
      await server.shutdown();
      await sbx.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
