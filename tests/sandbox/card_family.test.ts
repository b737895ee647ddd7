import assert from "node:assert/strict";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { buildClick } from "../../sandbox/card/click.ts";
import { verifySignature } from "../../lib/events/verify_signature.ts";
import { decryptEvent } from "../../lib/events/decrypt.ts";
import { verifyCardSignature } from "../../lib/im/verify_card_signature.ts";

async function tenantToken(url: string): Promise<string> {
  const res = await fetch(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app_id: DEFAULT_APP_ID, app_secret: DEFAULT_APP_SECRET }),
  });
  return (await res.json()).tenant_access_token;
}

Deno.test("sandbox card-update endpoint: token, validation, size, unknown message, history", async () => {
  const sandbox = createSandbox();
  const sbx = await sandbox.listen({ port: 0 });
  try {
    const seeded = await (await fetch(`${sbx.url}/__sandbox/card/messages`, {
      method: "POST",
      body: JSON.stringify({ app_id: DEFAULT_APP_ID, card: { schema: "2.0", body: { elements: [] }, v: 1 } }),
    })).json();
    const id = seeded.data.message_id as string;
    const patch = (body: unknown, token?: string, messageId = id) =>
      fetch(`${sbx.url}/open-apis/im/v1/messages/${messageId}`, {
        method: "PATCH",
        headers: token ? { authorization: `Bearer ${token}` } : {},
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    assert.equal((await patch({ content: "{}" })).body.code, 99991661);
    assert.equal((await patch({ content: "{}" }, "t-forged")).body.code, 99991663);
    const token = await tenantToken(sbx.url);
    assert.equal((await patch({ content: 5 }, token)).body.code, 230001);
    assert.equal((await patch({ content: "not json" }, token)).body.code, 230001);
    const big = await patch({ content: JSON.stringify({ pad: "x".repeat(31 * 1024) }) }, token);
    assert.deepEqual([big.status, big.body.code], [400, 230025]);
    assert.equal((await patch({ content: "{}" }, token, "om_unknown")).body.code, 230001);
    const ok = await patch({ content: JSON.stringify({ schema: "2.0", v: 2 }) }, token);
    assert.deepEqual([ok.status, ok.body.code], [200, 0]);
    const state = await (await fetch(`${sbx.url}/__sandbox/card/messages/${id}`)).json();
    assert.equal(state.data.card.v, 2);
    assert.equal(state.data.history[0].v, 1);
    assert.equal(state.data.updates, 1);
  } finally {
    await sbx.close();
  }
});

Deno.test("sandbox card clicks are signed as Feishu does (v2 SHA-256 + AES, v1 SHA-1)", async () => {
  const base = {
    callback_url: "http://127.0.0.1/x",
    app_id: DEFAULT_APP_ID,
    message_id: "om_1",
    open_id: "ou_1",
    action: { value: { action: "go" } },
    verification_token: "vt",
  };
  const v2 = await buildClick({ ...base, encrypt_key: "ek" }, 1_700_000_000_000);
  const h = v2.headers;
  assert.ok(verifySignature({
    timestamp: h["x-lark-request-timestamp"],
    nonce: h["x-lark-request-nonce"],
    encryptKey: "ek",
    rawBody: v2.body,
    signature: h["x-lark-signature"],
  }));
  const inner = JSON.parse(await decryptEvent(JSON.parse(v2.body).encrypt, "ek"));
  assert.equal(inner.header.event_type, "card.action.trigger");
  assert.equal(inner.header.create_time, "1700000000000000");
  assert.equal(inner.event.context.open_message_id, "om_1");
  assert.deepEqual(inner.event.action.value, { action: "go" });
  const v1 = await buildClick({ ...base, style: "v1" }, 1_700_000_000_000);
  assert.ok(verifyCardSignature({
    timestamp: v1.headers["x-lark-request-timestamp"],
    nonce: v1.headers["x-lark-request-nonce"],
    verificationToken: "vt",
    rawBody: v1.body,
    signature: v1.headers["x-lark-signature"],
  }));
  assert.equal(JSON.parse(v1.body).open_message_id, "om_1");
});
