/**
 * `deno task core` end to end: the real script as a child process against
 * the sandbox — a click on an approval card in state 审批中 is verified,
 * queued, handled and the card turns 已通过; healthz answers; SIGTERM stops it.
 */
import assert from "node:assert/strict";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { cardFamily } from "../../sandbox/card/family.ts";
import { approvalCard } from "../../pipelines/core/approval_handlers.ts";
import { waitFor } from "../queue/_backends.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("deno task core: a card click turns 审批中 into 已通过 through the real service", async () => {
  const dir = await Deno.makeTempDir({ prefix: "core_script_" });
  const sandbox = createSandbox();
  const sbx = await sandbox.listen({ port: 0 });
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      `${ROOT}deno.json`,
      "--allow-net",
      "--allow-read=.",
      "--allow-write=.",
      "--allow-env",
      `${ROOT}scripts/core.ts`,
    ],
    cwd: dir,
    env: {
      FEISHU_APP_ID: DEFAULT_APP_ID,
      FEISHU_APP_SECRET: DEFAULT_APP_SECRET,
      FEISHU_BASE_URL: sbx.url,
      FEISHU_ACCOUNTS_URL: sbx.url,
      FEISHU_ENCRYPT_KEY: "script-encrypt-key",
      FEISHU_VERIFICATION_TOKEN: "script-verification-token",
      FEISHU_CORE_PORT: String(port),
      FEISHU_KIT_KEY: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))),
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  const reader = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) out += chunk;
  })();
  const errText = new Response(child.stderr).text();
  try {
    await waitFor(() => out.includes("已启动"), 60_000, "the service to start");
    const id = "om_script_card_0001";
    cardFamily(sandbox.state).messages.set(id, {
      messageId: id,
      appId: DEFAULT_APP_ID,
      card: approvalCard("报销单", "审批中"),
      history: [],
      updates: 0,
    });
    const res = await fetch(`${sbx.url}/__sandbox/card/click`, {
      method: "POST",
      body: JSON.stringify({
        callback_url: `http://127.0.0.1:${port}/callback/card`,
        app_id: DEFAULT_APP_ID,
        message_id: id,
        open_id: "ou_approver",
        action: { value: { action: "approve", title: "报销单" } },
        encrypt_key: "script-encrypt-key",
        verification_token: "script-verification-token",
      }),
    });
    assert.equal((await res.json()).data.status, 200);
    const card = () => JSON.stringify(cardFamily(sandbox.state).messages.get(id)!.card);
    await waitFor(() => card().includes("已通过"), 30_000, "the card to be approved");
    assert.ok(!card().includes("审批中"));
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    assert.equal(health.code, 0);
    assert.equal(health.data.queue.backend, "sqlite");
    // Every outgoing Feishu call is one info line in core.ndjson, the successful ones too.
    const log = (await Deno.readTextFile(`${dir}/.state/core.ndjson`)).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    const update = log.find((r) => r.event === "http" && r.code === 0 && String(r.path).includes(id));
    assert.ok(update, "the card update's http line");
    assert.equal(update.level, "info");
    assert.match(update.request_id, /^fk-/);
    assert.equal(update.status, 200);
    assert.equal(typeof update.duration_ms, "number");
    assert.equal(typeof update.params?.body, "object", "the masked body parameters");
    assert.ok(!JSON.stringify(log).includes(DEFAULT_APP_SECRET), "the app secret never reaches the log");
    // The queue and tokens live below the working directory, owner-only.
    assert.equal((await Deno.stat(`${dir}/.state/core.db`)).mode! & 0o077, 0);
  } finally {
    child.kill("SIGTERM");
    const status = await child.status;
    await reader;
    const stderr = await errText;
    await sbx.close();
    await Deno.remove(dir, { recursive: true });
    assert.equal(status.code, 0, stderr);
    assert.match(out, /已停止/);
  }
});
