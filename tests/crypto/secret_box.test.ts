import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors/mod.ts";
import { loadSecretBox, SecretBox, toBase64 } from "../../lib/crypto/mod.ts";

const key = () => crypto.getRandomValues(new Uint8Array(32));

Deno.test("secret box: round trip, fresh IV per seal, no plaintext in the sealed text", async () => {
  const box = await SecretBox.fromRawKey(key());
  const a = await box.seal("t-secret-token", "row1");
  const b = await box.seal("t-secret-token", "row1");
  assert.notEqual(a, b);
  assert.ok(!a.includes("secret"));
  assert.equal(await box.open(a, "row1"), "t-secret-token");
  assert.equal(await box.open(await box.seal("含中文\u0000NUL"), ""), "含中文\u0000NUL");
});

Deno.test("secret box: wrong key, wrong aad and tampering are ConfigErrors", async () => {
  const box = await SecretBox.fromRawKey(key());
  const other = await SecretBox.fromRawKey(key());
  const sealed = await box.seal("v", "row1");
  await assert.rejects(() => other.open(sealed, "row1"), ConfigError);
  await assert.rejects(() => box.open(sealed, "row2"), ConfigError);
  const bytes = atob(sealed.slice(3));
  const flipped = "v1:" +
    btoa(bytes.slice(0, -1) + String.fromCharCode(bytes.charCodeAt(bytes.length - 1) ^ 1));
  await assert.rejects(() => box.open(flipped, "row1"), ConfigError);
  await assert.rejects(() => box.open("plain", "row1"), ConfigError);
  await assert.rejects(() => SecretBox.fromRawKey(new Uint8Array(16)), ConfigError);
});

Deno.test("key source: env first, else a 0600 key file created once and reused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const keyFile = `${dir}/state/secret.key`;
    let created = 0;
    const env = () => undefined;
    const a = await loadSecretBox({ keyFile, getEnv: env, onCreated: () => created++ });
    const b = await loadSecretBox({ keyFile, getEnv: env, onCreated: () => created++ });
    assert.equal(created, 1);
    assert.equal(a.fingerprint, b.fingerprint);
    assert.equal(await b.open(await a.seal("x")), "x");
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(keyFile)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(`${dir}/state`)).mode! & 0o777, 0o700);
    }
    if (Deno.build.os !== "windows") {
      await Deno.chmod(keyFile, 0o644); // e.g. copied in from a backup
      await loadSecretBox({ keyFile, getEnv: env });
      assert.equal((await Deno.stat(keyFile)).mode! & 0o777, 0o600, "a readable key file is tightened");
    }
    const raw = key();
    const fromEnv = await loadSecretBox({ keyFile, getEnv: () => toBase64(raw) });
    assert.notEqual(fromEnv.fingerprint, a.fingerprint);
    await assert.rejects(() => loadSecretBox({ keyFile, getEnv: () => "short" }), ConfigError);
    await assert.rejects(
      () => loadSecretBox({ keyFile: `${dir}/none.key`, getEnv: env, create: false }),
      ConfigError,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
