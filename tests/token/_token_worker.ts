/**
 * Subprocess used by multi_process.test.ts: opens the shared SQLite store,
 * says "ready", waits for a line on stdin, then gets the tenant token from a
 * local fake Feishu and prints the result as one JSON line.
 *
 * Usage: deno run --allow-read --allow-write --allow-net=127.0.0.1 _token_worker.ts <db> <baseUrl>
 */
import { LarkTokenEndpoints, SqliteTokenStore, TokenManager } from "../../lib/token/mod.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";

const box = await testSecretBox();

const [dbPath, baseUrl] = Deno.args;
const store = new SqliteTokenStore(dbPath, { box });
const manager = new TokenManager({
  store,
  endpoints: new LarkTokenEndpoints({ baseUrl }),
  apps: (appId) => ({ appId, appSecret: "worker-secret" }),
});
console.log("ready");

const reader = Deno.stdin.readable.getReader();
await reader.read(); // the "go" line
reader.releaseLock();

const token = await manager.getTenantToken("cli_test");
console.log(JSON.stringify({ token, stats: manager.stats }));
store.close();
