/**
 * Subprocess of pg_multi_process.test.ts: a "service process" whose apps come from a shared
 * SQLite registry and whose tokens live in the shared PostgreSQL store. Its clock is real
 * time plus an offset the test moves ("advance <ms>"), so a token expiry needs no sleep.
 * Commands on stdin, one per line: `go` (print {token, stats}), `advance <ms>` (print "ok").
 *
 * Usage: deno run --allow-net=127.0.0.1 --allow-read --allow-write --allow-env _pg_token_worker.ts <registry> <store-url> <baseUrl> <appId>
 */
import { registryAppResolver, SqliteAppRegistry } from "../../lib/registry/mod.ts";
import { testSecretBox } from "../../lib/testing/test_secret_box.ts";
import { systemClock } from "../../lib/time/clock.ts";
import { LarkTokenEndpoints, openTokenStore, TokenManager } from "../../lib/token/mod.ts";

const [registryPath, storeUrl, baseUrl, appId] = Deno.args;
let offset = 0;
const clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
const box = await testSecretBox();
const registry = new SqliteAppRegistry(registryPath, { box, clock });
const store = openTokenStore(storeUrl, { box, clock });
const tokens = new TokenManager({
  store,
  endpoints: new LarkTokenEndpoints({ baseUrl }),
  apps: registryAppResolver(registry, { clock }),
  clock,
});
console.log("ready");

const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
let buf = "";
for (;;) {
  const { value, done } = await lines.read();
  if (done) break;
  buf += value;
  let nl;
  while ((nl = buf.indexOf("\n")) >= 0) {
    const [cmd, arg] = buf.slice(0, nl).split(" ");
    buf = buf.slice(nl + 1);
    if (cmd === "go") {
      const token = await tokens.getTenantToken(appId);
      console.log(JSON.stringify({ token, stats: tokens.stats }));
    } else if (cmd === "advance") {
      offset += Number(arg);
      console.log("ok");
    }
  }
}
await tokens.idle();
registry.close();
await (store as unknown as { end(): Promise<void> }).end();
